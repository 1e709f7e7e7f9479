"""Rainbond rejects `null` for the nullable fields (token, ssl_ca_cert, cert_file, key_file) with 400."""

from tests.contract.faulty.base import Exchange, serve

NULLABLE = ("token", "ssl_ca_cert", "cert_file", "key_file")


def before(ex: Exchange) -> None:
    data = ex.request_json()
    if ex.rainbond and isinstance(data, dict) and any(k in data and data[k] is None for k in NULLABLE):
        ex.respond(400, {"msg": "this field may not be null"})


if __name__ == "__main__":
    serve(before=before)
