"""The catalog is data, validated when it loads: mistakes stop start-up with file and entry."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.core.catalog import SERVICE_CODES, CatalogError, default_catalog_dir
from app.core.catalog_loader import load_catalog
from app.core.config import ConfigError, load_hall_config


@pytest.fixture
def catalog_copy(tmp_path: Path) -> Path:
    target = tmp_path / "catalog"
    shutil.copytree(default_catalog_dir(), target)
    return target


def test_catalog_has_every_service_with_names_and_rules() -> None:
    cat = load_catalog(default_catalog_dir())
    assert sorted(cat.services) == sorted(SERVICE_CODES)
    for svc in cat.services.values():
        assert svc.name.zh and svc.name.en
        assert svc.effective
    assert set(cat.campaigns) == {"group_tenure_reward", "broadband_speedup", "mobile_bus_card"}
    tier = cat.campaigns["group_tenure_reward"].tier("tier1_new")
    assert tier is not None and tier.prepayment_fen == 13900 and tier.term_months == 10
    assert tier.gift_code == "cooking_oil_5l"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_unknown_rule_named(catalog_copy: Path) -> None:
    _edit(catalog_copy / "services/number_change.toml", '"arrears_outstanding"',
          '"arrears_outstandin"')
    with pytest.raises(CatalogError) as err:
        load_catalog(catalog_copy)
    assert err.value.file == "number_change.toml"
    assert "arrears_outstandin" in err.value.entry
    assert "no implementation" in err.value.problem


def test_missing_name_named(catalog_copy: Path) -> None:
    _edit(catalog_copy / "services/resume.toml", 'en = "Resumption"', 'fr = "Reprise"')
    with pytest.raises(CatalogError) as err:
        load_catalog(catalog_copy)
    assert err.value.file == "resume.toml" and "name" in err.value.problem


def test_unknown_service_code_named(catalog_copy: Path) -> None:
    _edit(catalog_copy / "services/resume.toml", 'code = "resume"', 'code = "resurrect"')
    with pytest.raises(CatalogError) as err:
        load_catalog(catalog_copy)
    assert "resurrect" in str(err.value)


def test_unknown_document_and_condition(catalog_copy: Path) -> None:
    _edit(catalog_copy / "services/sim_replacement.toml", 'any_of = ["damaged_sim"]',
          'any_of = ["broken_sim"]')
    with pytest.raises(CatalogError, match="broken_sim"):
        load_catalog(catalog_copy)


def test_bad_condition(catalog_copy: Path) -> None:
    _edit(catalog_copy / "services/sim_replacement.toml", 'when = "details.damaged_card"',
          'when = "weather.rainy"')
    with pytest.raises(CatalogError, match="weather"):
        load_catalog(catalog_copy)


def test_missing_service_file(catalog_copy: Path) -> None:
    (catalog_copy / "services/complaint.toml").unlink()
    with pytest.raises(CatalogError, match="complaint"):
        load_catalog(catalog_copy)


def test_broken_toml(catalog_copy: Path) -> None:
    (catalog_copy / "rules.toml").write_text("[rule.x\n", encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        load_catalog(catalog_copy)
    assert err.value.file == "rules.toml"


def test_hall_config_errors(tmp_path: Path) -> None:
    bad = tmp_path / "hall.toml"
    bad.write_text('carrier = "acme"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="carrier"):
        load_hall_config(bad)
    bad.write_text('[tariff]\nsim_card_fee = "ten"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="sim_card_fee"):
        load_hall_config(bad)
    bad.write_text('colour = "red"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown setting"):
        load_hall_config(bad)


def test_tariff_example_values_are_marked() -> None:
    text = (default_catalog_dir().parent / "config/hall.toml").read_text(encoding="utf-8")
    assert "EXAMPLE" in text
    cfg = load_hall_config()
    assert cfg.tariff("sim_card_fee") == 1000
