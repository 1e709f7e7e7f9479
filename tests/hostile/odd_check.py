"""Run inside the output folder of tests/specs-hostile/valid/odd-names.yaml: the odd names work."""

import httpx
import odd_names  # noqa: F401 - the package itself imports
from odd_names import models
from odd_names.client import DEFAULT_BASE_URL, Client

assert DEFAULT_BASE_URL == 'https://example.test/base"); import os #'
fields = {n if f.alias is None else f.alias: n for n, f in models.Client.model_fields.items()}
for wire in ["class", "self", "model_config", "json", "dict", "schema", "Field", "", "a-b", "a_b", "0zero"]:
    assert wire in fields, wire
data = {wire: wire + "!" for wire in fields if wire not in {"kind", "tree", "quote"}}
data["kind"] = '"""'
data["tree"] = {"children": [{"children": []}]}
client_model = models.Client.model_validate(data)
dumped = client_model.model_dump(by_alias=True, mode="json", exclude_unset=True)
assert dumped == data, dumped
assert models.Client().quote == "\"\"\"'''\\"
assert models.Client.model_fields["quote"].examples == ['"); import os #']
assert [k.value for k in models.Kind] == ['"""', "'''", "\\", "a\nb", "class", "self", "", "mro", "name"]
assert "Client" in models.Client.__doc__ and '"""' in models.Client.__doc__

seen = []


def handler(request):
    seen.append(request)
    return httpx.Response(200, json={"class": "c"})


with Client("https://api.test/v1", transport=httpx.MockTransport(handler)) as client:
    result = client.self_("../../admin?x=1#frag", json="j", model_config="m")
assert result.class_ == "c", result
url = seen[0].url
assert url.raw_path == b"/v1/items/..%2F..%2Fadmin%3Fx%3D1%23frag?json=j&model_config=m", url.raw_path
assert url.host == "api.test"
assert '"""' in Client.self_.__doc__
print("ok")
