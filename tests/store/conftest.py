import pytest


@pytest.fixture
def app_settings():
    """Store tests look at the outbox itself, so nothing drains it behind their back."""
    return {"INDEX_SYNC": False}
