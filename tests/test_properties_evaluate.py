"""Property tests of the evaluator on generated MOT-format manifests (parsed by the real parser):

- progress values lie in [0, 100], and the class is the best class whose progress is 100 (0 if none);
- the class equals an independent oracle: class c needs every component required for c and for every
  less open class to count, where the research paper stands in for the technical report (so no required
  Class III component missing or not open ever leaves a class above 0);
- adding an open-licensed component, or relicensing a listed one under an open license, never lowers
  the class;
- MOT mode and mof mode agree on manifests that use only exact ids from MOT's open list on which the two
  modes agree (the documented differences in docs/mot-differences.md excluded).

SPDX-expression properties: tests/test_licenses_spdx.py."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from mofcheck import framework, manifest
from mofcheck.evaluate import evaluate_manifest
from mofcheck.licenses import classify_license
from mofcheck.licenses.mot import classify_mot

FW = framework.load()
NAMES = FW.names()
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

OPEN = {"code": ["MIT", "Apache-2.0", "BSD-3-Clause"], "data": ["CDLA-Permissive-2.0", "CC-BY-4.0", "CC0-1.0"], "document": ["CC-BY-4.0", "CC-BY-SA-4.0"]}
OTHER = ["llama3", "CC-BY-NC-4.0", "LicenseRef-Proprietary", "unlicensed", "", "GPL-3.0-only", "mit", "Apache 2.0", "MIT OR CC-BY-NC-4.0"]
ANY_LICENSE = sorted({x for v in OPEN.values() for x in v} | set(OTHER))


def build(components: dict[str, str | None], globals_: dict[str, str | None]):
    """A manifest through the real parser. components: name -> license (None: inherit)."""
    lic = {k: {"name": v, "path": None} for k, v in globals_.items() if v is not None}
    comps = []
    for name, license in components.items():
        c = {"name": name, "description": "x"}
        if license is not None:
            c["license"] = license
        comps.append(c)
    doc = {
        "framework": {"name": "Model Openness Framework", "version": "1.0", "date": "2024-12-15"},
        "release": {"name": "p", "version": "1", "date": "2025-01-01", "type": "language", "architecture": "transformer",
                    "origin": "", "producer": "x", "contact": "", "license": lic, "components": comps},
    }  # fmt: skip
    return manifest.parse(json.dumps(doc), "m.yml", FW)


def manifests(pool: list[str], open_pool: dict[str, list[str]] | None = None):
    """Random releases, and near-complete ones (everything open, then a few components dropped or
    relicensed from `pool`) so that every class is reached often, not only "no class"."""
    open_pool = open_pool or OPEN
    license = st.none() | st.sampled_from(pool)
    random = st.dictionaries(st.sampled_from(NAMES), license, max_size=len(NAMES))

    @st.composite
    def near_complete(draw):
        comps = {n: draw(st.sampled_from(open_pool[FW.component(n).category])) for n in NAMES}
        for n in draw(st.lists(st.sampled_from(NAMES), max_size=3)):
            if draw(st.booleans()):
                comps.pop(n, None)
            else:
                comps[n] = draw(license)
        return comps

    globals_ = st.fixed_dictionaries({k: st.none() | st.sampled_from(pool) for k in ("distribution", "code", "data", "document")})
    return st.tuples(random | near_complete(), globals_)


def rank(cls: int) -> int:
    """Higher is more open: no class < III < II < I."""
    return 0 if cls == 0 else 4 - cls


def oracle_class(counts: set[str]) -> int:
    def ok(c: int) -> bool:
        for cdef in FW.required_for(c):
            if cdef.name in counts:
                continue
            if any(s.component == cdef.name and c in (*s.stand_in_classes, *s.waive_in_classes) and s.substitute in counts for s in FW.substitutions):
                continue
            return False
        return True

    best = 0
    for c in FW.class_numbers():  # 3, 2, 1: each needs the ones before it
        if not ok(c):
            break
        best = c
    return best


@SETTINGS
@given(manifests(ANY_LICENSE), st.sampled_from(["mof", "mot"]))
def test_progress_bounds_and_class_matches_the_oracle(spec, mode):
    r = evaluate_manifest(build(*spec), FW, mode)
    prog = r.standing.progress
    assert set(prog) == set(FW.class_numbers())
    assert all(0.0 <= p <= 100.0 for p in prog.values()), prog
    full = [c for c in sorted(prog) if prog[c] == 100.0]
    assert r.standing.cls == (full[0] if full else 0)
    # a class at 100% means every less open class is at 100% too
    for c in full:
        assert all(prog[d] == 100.0 for d in prog if d > c), prog
    counts = {c.name for c in r.components if c.counts}
    assert r.standing.cls == oracle_class(counts), (counts, prog)
    # the headline: a required Class III component that does not count (and is not stood in for) means no class
    if oracle_class(counts) == 0:
        assert r.standing.cls == 0 and r.class_label == FW.label(0)
    event(f"class {r.standing.cls}")


@SETTINGS
@given(manifests(ANY_LICENSE), st.sampled_from(NAMES), st.data())
def test_adding_an_open_component_never_lowers_the_class(spec, name, data):
    comps, globals_ = spec
    before = evaluate_manifest(build(comps, globals_), FW, "mof").standing.cls
    category = FW.component(name).category
    more = {**comps, name: data.draw(st.sampled_from(OPEN[category]))}  # listed already: relicensed as open
    after = evaluate_manifest(build(more, globals_), FW, "mof").standing.cls
    assert rank(after) >= rank(before), (before, after, name)


@SETTINGS
@given(manifests(ANY_LICENSE))
def test_making_every_listed_component_open_reaches_at_least_the_class(spec):
    comps, globals_ = spec
    before = evaluate_manifest(build(comps, globals_), FW, "mof").standing.cls
    opened = {n: OPEN[FW.component(n).category][0] for n in comps}
    after = evaluate_manifest(build(opened, globals_), FW, "mof")
    assert rank(after.standing.cls) >= rank(before)
    assert all(c.counts for c in after.components if c.listed)


@lru_cache(maxsize=1)
def agreed_mot_ids() -> list[str]:
    """Exact ids MOT treats as open on which both modes agree for every category (documented
    differences such as case, deprecated ids and list bugs are exactly the ones left out)."""
    text = resources.files("mofcheck.data.licenses").joinpath("mot-effective.tsv").read_text("utf-8")
    ids = [ln.split("\t")[0] for ln in text.splitlines() if ln and not ln.startswith("#") and "\tyes" in ln]
    keep = []
    for i in ids:
        if all(classify_mot(i, cat).open == classify_license(i, cat, "mof").open for cat in ("code", "data", "document")):
            keep.append(i)
    assert len(keep) > 100, len(keep)  # most of MOT's list: the differences are few
    return sorted(keep)


@SETTINGS
@given(st.data())
def test_mot_and_mof_modes_agree_on_exact_mot_ids(data):
    pool = agreed_mot_ids() + ["unlicensed", "", "NotALicense-1.0"]
    agreed = {cat: [i for i in ids if i in pool] for cat, ids in OPEN.items()}
    comps, globals_ = data.draw(manifests(pool, {cat: ids or pool for cat, ids in agreed.items()}))
    m = build(comps, globals_)
    mof, mot = evaluate_manifest(m, FW, "mof"), evaluate_manifest(m, FW, "mot")
    assert mof.standing.cls == mot.standing.cls
    assert mof.standing.progress == mot.standing.progress
    assert [c.counts for c in mof.components] == [c.counts for c in mot.components]
