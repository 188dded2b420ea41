import pytest


@pytest.fixture(params=["sqlite", "postgresql"])
def database_kind(request):
    """The store and the service must behave the same on SQLite and PostgreSQL."""
    return request.param


@pytest.fixture
def app_settings():
    """Store tests look at the outbox itself, so nothing drains it behind their back."""
    return {"INDEX_SYNC": False}
