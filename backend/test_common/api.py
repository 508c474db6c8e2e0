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
