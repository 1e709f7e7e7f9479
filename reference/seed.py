"""First-start data: the records the specs' path-parameter examples name, plus one deliberately corrupt app."""

from __future__ import annotations

from typing import Any

HUAWEI_PROJECT_ID = "0b6fb3f5a1a34c2e9f3f0c3e5d8f2a1b"
HUAWEI_INSTANCE_ID = "eddc4d25480b4cd6b512f270a1b8b341"
HUAWEI_APP_ID = "356de8eb7a8742168586e5daf5339965"
#: An app whose stored row is corrupt (status is not an integer): updating it fails with the documented
#: 500 APIG.9999, deterministically, and the row stays as it is (the transaction is rolled back).
HUAWEI_CORRUPT_APP_ID = "0badc0de0badc0de0badc0de0badc0de"
RAINBOND_REGION_ID = "2b1e6b6d1c7c4f4f9f8a3f0e5d6c7b8a"

_APP: dict[str, Any] = {
    "project_id": HUAWEI_PROJECT_ID,
    "instance_id": HUAWEI_INSTANCE_ID,
    "id": HUAWEI_APP_ID,
    "name": "app_demo",
    "remark": "Demo app",
    "creator": "USER",
    "update_time": "2020-08-03T13:21:48.381148828Z",
    "app_key": "ee8f878c252747028f07eb116c2cd91b",
    "app_secret": "416c1b7a9e2d4f0c8b3a5e6d7f9a0ab8",
    "register_time": "2020-08-03T13:09:13",
    "status": 1,
    "app_type": "apig",
    "roma_app_type": None,
}

ROWS: dict[str, list[dict[str, Any]]] = {
    "apig_instance": [
        {"project_id": HUAWEI_PROJECT_ID, "instance_id": HUAWEI_INSTANCE_ID, "instance_name": "apig-demo"},
    ],
    "apig_app": [
        _APP,
        {
            **_APP,
            "id": HUAWEI_CORRUPT_APP_ID,
            "name": "app_corrupt",
            "remark": "Stored row is corrupt: updating it answers 500 APIG.9999",
            "app_key": "0badc0de0badc0de0badc0de0badc0de",
            "status": "corrupt",
        },
    ],
    "rainbond_region": [
        {
            "region_id": RAINBOND_REGION_ID,
            "region_name": "rainbond",
            "region_alias": "默认数据中心",
            "url": "https://region.goodrain.me:8443",
            "token": None,
            "wsurl": "wss://region.goodrain.me:6060",
            "httpdomain": "8f3a2c.grapps.cn",
            "tcpdomain": "192.168.1.10",
            "scope": "private",
            "ssl_ca_cert": (
                "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2FDZXJ0RXhhbXBsZQ==\n-----END CERTIFICATE-----"
            ),
            "cert_file": "-----BEGIN CERTIFICATE-----\nMIIBtDCCAVqgAwIBAgIUQ2xpZW50Q2VydA==\n-----END CERTIFICATE-----",
            "key_file": (
                "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n"
                "-----END PRIVATE KEY-----"
            ),
            "status": "1",
            "desc": "默认数据中心，生产环境",
        },
    ],
}
