"""Labels of fields, facts and codes (secassess/locale/labels.yaml): complete, current, and in the schema."""

from __future__ import annotations

import enum
import json
from collections.abc import Iterator
from typing import Any

import pytest
from support import REPO

from secassess.assessment.facts import FACTS
from secassess.inventory import schema as schema_module
from secassess.inventory.schema import inventory_json_schema, inventory_models
from secassess.labels import labels, path_label
from secassess.yamlsafe import load_file, strip_positions


def undescribed(schema: Any, where: str = "$") -> Iterator[str]:
    """Every property of a JSON Schema (at any depth) that has no description."""
    if isinstance(schema, dict):
        for key, value in (schema.get("properties") or {}).items():
            if not (isinstance(value, dict) and isinstance(value.get("description"), str) and value["description"]):
                yield f"{where}.properties.{key}"
        for key, value in schema.items():
            yield from undescribed(value, f"{where}.{key}")
    elif isinstance(schema, list):
        for index, value in enumerate(schema):
            yield from undescribed(value, f"{where}[{index}]")


def test_every_schema_property_has_an_english_and_vietnamese_description() -> None:
    schema = json.loads(inventory_json_schema())
    assert list(undescribed(schema)) == []
    staff = schema["$defs"]["OnSiteForce"]["properties"]["dedicated_staff"]["description"]
    assert staff.startswith("Dedicated information-security staff — Số cán bộ chuyên trách an toàn thông tin.")


def test_a_property_without_a_label_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    real = schema_module.field_label
    monkeypatch.setattr(schema_module, "field_label",
                        lambda model, name: None if name == "go_live" else real(model, name))
    assert list(undescribed(json.loads(inventory_json_schema()))) == ["$.$defs.InformationSystem.properties.go_live"]


def test_every_model_field_has_a_label_and_no_label_is_stale() -> None:
    models = inventory_models()
    table = labels().fields
    assert set(table) <= set(models), "labels for classes the model no longer has"
    for name, model in models.items():
        fields = {f for f in model.model_fields if f != "source_positions"}
        assert set(table.get(name, {})) == fields, name


def test_every_fact_and_enum_value_has_a_label() -> None:
    facts = {name for by_kind in FACTS.values() for name in by_kind}
    assert facts <= set(labels().facts)
    for name, model in vars(__import__("secassess.inventory.model", fromlist=["x"])).items():
        if isinstance(model, type) and issubclass(model, enum.Enum) and model.__module__ == "secassess.inventory.model":
            assert set(labels().values.get(name, {})) == {m.value for m in model}, name


def _rule_paths(condition: Any) -> Iterator[str]:
    """Field paths a condition reads on its entity (not those inside `where`, which read list items)."""
    if not isinstance(condition, dict):
        return
    for combinator in ("all", "any", "none"):
        for part in condition.get(combinator) or []:
            yield from _rule_paths(part)
    if "field" in condition:
        yield condition["field"]
        if condition.get("denominator"):
            yield condition["denominator"]
        if isinstance(condition.get("value"), dict) and "field" in condition["value"]:
            yield condition["value"]["field"]


def test_every_path_the_shipped_checks_read_has_a_label() -> None:
    unlabelled = []
    for path in sorted((REPO / "checklists").rglob("*.yaml")):
        document = strip_positions(load_file(str(path)))
        for check in document.get("checks", []) if isinstance(document, dict) else []:
            paths = [*_rule_paths(check.get("when")), *_rule_paths(check["condition"]), *check.get("evidence", [])]
            unlabelled += [f"{check['id']}: {p}" for p in paths if path_label(check["entity"], p) is None]
    assert unlabelled == []


def test_paths_to_collect_name_list_items_aliases_and_inventory_fields() -> None:
    """What a finding lacks may name list items (`servers[web01].status`), every item (`systems[].servers`), a field
    by its YAML alias (`from`) or a field of the owning agency or the whole inventory (`network.links`)."""
    def vi(kind: str, path: str) -> str | None:
        found = path_label(kind, path)
        return None if found is None else found.label.vi

    assert vi("agency", "servers[web01.syt.gov.vn].anti_malware.licensed") == \
        "Phần mềm phòng chống mã độc có bản quyền (máy chủ web01.syt.gov.vn)"
    assert vi("agency", "workstation_groups[g1].os[Windows 7].end_of_life") == \
        "Ngày hết hỗ trợ của hệ điều hành (nhóm máy trạm g1, Windows 7)"
    assert vi("server", "systems[].servers") == "Các hệ thống thông tin: các máy chủ vận hành hệ thống"
    assert vi("zone_link", "from") == "Từ vùng mạng"
    assert vi("agency", "network.links") == "Các kết nối giữa vùng mạng"
    assert vi("agency", "agencies[stc].zone_links") == "Các kết nối giữa vùng mạng (stc)"
    assert vi("agency", "zone of hosts") is None and vi("agency", "servers[x].no_such_field") is None


def test_every_profile_parameter_has_a_label_and_no_label_is_stale() -> None:
    from secassess.assessment.catalog import load_catalog
    from secassess.labels import labels, parameter_label

    names = {name for profile in load_catalog().profiles.values() for name in profile.parameters}
    assert names == set(labels().parameters)
    assert parameter_label("patch_max_days", "vi") == "Thời hạn cập nhật bản vá cho thiết bị người dùng (ngày)"
    assert parameter_label("a_province_own_number", "vi") == "a_province_own_number"
