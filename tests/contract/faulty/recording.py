"""No fault: the reference app as it is, recording every request when FAULTY_REQUEST_LOG is set."""

from tests.contract.faulty.base import serve

if __name__ == "__main__":
    serve()
