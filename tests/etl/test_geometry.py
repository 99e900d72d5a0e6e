"""data/geo/: the 34-unit GeoJSON matches the provinces of agencies.csv, and the merger list is complete."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest
import shapely
from shapely.geometry import shape

REPO = Path(__file__).resolve().parents[2]
GEO = REPO / "data" / "geo"

# The 63 HASC suffixes (VN.xx) of the Natural Earth provinces before the 2025 merger.
OLD_HASC = {
    "AG", "BD", "BG", "BI", "BK", "BL", "BN", "BP", "BR", "BU", "BV", "CB", "CM", "CN", "DA", "DB",
    "DC", "DN", "DO", "DT", "GL", "HC", "HD", "HG", "HI", "HM", "HO", "HP", "HT", "HU", "HY", "KG",
    "KH", "KT", "LA", "LD", "LI", "LO", "LS", "NA", "NB", "ND", "NT", "PT", "PY", "QB", "QG", "QM",
    "QN", "QT", "SL", "ST", "TB", "TG", "TH", "TN", "TQ", "TT", "TV", "TY", "VC", "VL", "YB",
}


@pytest.fixture(scope="module")
def provinces() -> dict[str, dict[str, str]]:
    with (REPO / "data" / "dims" / "agencies.csv").open(encoding="utf-8", newline="") as fh:
        return {r["code"]: r for r in csv.DictReader(fh) if r["kind"] == "province"}


@pytest.fixture(scope="module")
def mergers() -> list[dict[str, str]]:
    with (GEO / "province_mergers.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def collection() -> dict:
    return json.loads((GEO / "vn_provinces_34.geojson").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def geoms(collection) -> dict[str, shapely.Geometry]:
    return {f["properties"]["code"]: shape(f["geometry"]) for f in collection["features"]}


def test_old_hasc_list_has_63_codes():
    assert len(OLD_HASC) == 63


def test_mergers_use_each_of_the_63_provinces_once(mergers, provinces):
    assert list(mergers[0]) == ["code", "name_vi", "hasc", "old_name_vi"]
    counts = Counter(r["hasc"] for r in mergers)
    assert len(mergers) == 63
    assert set(counts) == OLD_HASC
    assert max(counts.values()) == 1
    assert {r["code"] for r in mergers} == set(provinces)
    for r in mergers:
        assert r["name_vi"] == provinces[r["code"]]["name_vi"], r
    # 63 distinct former names; the 11 units the merger left alone kept theirs (Huế was Thừa Thiên Huế)
    assert len({r["old_name_vi"] for r in mergers}) == 63
    per_unit = Counter(r["code"] for r in mergers)
    alone = [r for r in mergers if per_unit[r["code"]] == 1]
    assert len(alone) == 11 and all(r["old_name_vi"] in (r["name_vi"], "Thừa Thiên Huế") for r in alone)


def test_features_match_the_34_provinces_one_to_one(collection, provinces):
    assert collection["type"] == "FeatureCollection"
    feats = collection["features"]
    assert len(feats) == 34
    codes = [f["properties"]["code"] for f in feats]
    assert codes == sorted(codes), "features are sorted by code"
    assert len(set(codes)) == 34
    assert {f["properties"]["agency_id"] for f in feats} == {p["id"] for p in provinces.values()}
    for f in feats:
        p = f["properties"]
        assert set(p) == {"code", "agency_id", "name_vi", "name_en"}
        assert isinstance(p["code"], str) and len(p["code"]) == 2 and p["code"].isdigit()
        prov = provinces[p["code"]]
        assert (p["agency_id"], p["name_vi"], p["name_en"]) == (prov["id"], prov["name_vi"], prov["name_en"])
        assert f["id"] == p["code"]


def test_geometries_are_valid_polygons_inside_vietnam(geoms):
    for code, g in geoms.items():
        assert g.geom_type in ("Polygon", "MultiPolygon"), code
        assert g.is_valid and not g.is_empty, code
        minx, miny, maxx, maxy = g.bounds
        # Mainland 102.1-109.5 E, 8.4-23.4 N; the Spratly Islands (Khánh Hòa) reach about 116 E.
        assert minx >= 102 and maxx <= 117 and miny >= 8 and maxy <= 23.5, (code, g.bounds)


def test_units_do_not_overlap(geoms):
    # A coverage: neighbours share borders, with no overlap between units.
    assert shapely.coverage_is_valid(list(geoms.values()))


def test_unit_areas_are_sane(geoms):
    # Actual (deg²): min 0.214 (33 Hưng Yên), max 1.987 (68 Lâm Đồng); the whole country about 29.
    areas = {code: g.area for code, g in geoms.items()}
    assert min(areas.values()) > 0.1 and max(areas.values()) < 2.5, areas
    assert 26 < sum(areas.values()) < 32
    # The islands are kept: Hoàng Sa with Đà Nẵng, Trường Sa with Khánh Hòa.
    assert geoms["48"].bounds[2] > 111.5
    assert geoms["56"].bounds[2] > 114


def test_choroplethmap_builds(collection):
    go = pytest.importorskip("plotly.graph_objects")
    codes = [f["properties"]["code"] for f in collection["features"]]
    fig = go.Figure(go.Choroplethmap(geojson=collection, locations=codes, featureidkey="properties.code",
                                     z=list(range(len(codes)))))
    fig.update_layout(map_style="white-bg", map_center={"lat": 16, "lon": 106}, map_zoom=4)
    spec = fig.to_plotly_json()
    assert spec["data"][0]["type"] == "choroplethmap"
    assert spec["layout"]["map"]["style"] == "white-bg"
