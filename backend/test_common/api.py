"""Helpers that create data through the API, as a user would."""


def create_tag(client, name: str = "arrays", **fields) -> dict:
    response = client.post("/api/tags/", json={"name": name, **fields})
    assert response.status_code == 201, response.text
    return response.json()


def create_question(client, title: str = "Two Sum", **fields) -> dict:
    response = client.post("/api/questions/", json={"title": title, **fields})
    assert response.status_code == 201, response.text
    return response.json()


def create_log(client, question_id: int, **fields) -> dict:
    response = client.post(f"/api/questions/{question_id}/logs/", json=fields)
    assert response.status_code == 201, response.text
    return response.json()


# Written by the server, not by the client: they may move on a write.
SERVER_STAMPS = {"updated_at"}


def assert_written_back_unchanged(client) -> int:
    """PUT every question and attempt of ``client`` as read; return how many were."""
    written = 0
    for question in client.get("/api/questions/").json():
        response = client.put(f"/api/questions/{question['id']}/", json=question)
        assert response.status_code == 200, (question, response.text)
        assert without_stamps(response.json()) == without_stamps(question)
        logs_url = f"/api/questions/{question['id']}/logs/"
        for log in client.get(logs_url).json():
            response = client.put(f"{logs_url}{log['id']}/", json=log)
            assert response.status_code == 200, (log, response.text)
            assert response.json() == log
            written += 1
        assert without_stamps(client.get(f"/api/questions/{question['id']}/").json()) == (
            without_stamps(question)
        )
        written += 1
    return written


def without_stamps(body: dict) -> dict:
    return {key: value for key, value in body.items() if key not in SERVER_STAMPS}
