import pytest


@pytest.mark.django_db
def test_landing_page_answers(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"UNIMAS Micro-Credentials" in response.content
