"""Settings come from config.py defaults, CATALOGUE_* environment variables, then test config."""

from catalogue import config, create_app


def test_environment_overrides_defaults():
    settings = config.from_environment(
        {"CATALOGUE_SEARCH_BACKEND": "elasticsearch", "CATALOGUE_MAX_IMAGE_BYTES": "123", "OTHER": "x"}
    )
    assert settings["SEARCH_BACKEND"] == "elasticsearch" and settings["MAX_IMAGE_BYTES"] == 123
    assert settings["ELASTICSEARCH_URL"] == config.DEFAULTS["ELASTICSEARCH_URL"]


def test_the_database_defaults_to_sqlite_in_the_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CATALOGUE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CATALOGUE_DATABASE_URL", raising=False)
    app = create_app()
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'catalogue.sqlite3'}"
    assert (tmp_path / "catalogue.sqlite3").exists()


def test_test_config_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("CATALOGUE_BASE_URL", "http://env.example")
    app = create_app({"DATA_DIR": str(tmp_path), "BASE_URL": "http://test.example"})
    assert app.config["BASE_URL"] == "http://test.example"
