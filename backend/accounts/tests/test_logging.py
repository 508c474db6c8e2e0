import logging

from backend.test_common.fixtures import PASSWORD


def test_passwords_and_session_ids_never_reach_the_log(anon, make_user, caplog):
    caplog.set_level(logging.DEBUG)
    secret = "unusual-Passphrase-4711"  # pragma: allowlist secret
    anon.post("/api/accounts/register/", json={"username": "newbie", "password": secret})
    anon.post("/api/accounts/register/", json={"username": "newbie", "password": secret})
    # pragma: allowlist nextline secret
    anon.post("/api/accounts/login/", json={"username": "newbie", "password": "wrong-" + secret})
    anon.post("/api/accounts/login/", json={"username": "newbie", "password": secret})
    session_id = anon.cookies["sessionid"]
    anon.get("/api/accounts/identity/")
    anon.post("/api/accounts/logout/")

    assert caplog.records, "nothing was logged, so the check proves nothing"
    assert secret not in caplog.text
    assert PASSWORD not in caplog.text
    assert session_id not in caplog.text
