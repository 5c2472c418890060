"""The site in two languages (issue 18): catalogs, French pages, marked fallbacks, counterparts.

English is at the root, French under fr/ (generator/outputs/i18n.py). These tests render both
languages from the seed without running the engine; the browser tests look at the built French site.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from generator import cli
from generator.model.errors import Problem, Report
from generator.outputs import corrections, i18n, reference, release, render
from generator.pipeline import build
from generator.pipeline.build import gather, stage_outputs
from tests.test_contributor_scenario import BUDGET_2026, HISTORY, VALUE_2026, edit

ROOT = Path(__file__).resolve().parent.parent
CASE = Path(__file__).parent / "broken" / "translations" / "untranslated.yaml"
NNBSP, NBSP = "\u202f", "\u00a0"


def _catalog(language: str):
    with i18n.po_path(ROOT, language).open("rb") as handle:
        return read_po(handle, locale=language)


def _extracted() -> set[str]:
    """The msgids `make messages` would extract now (Babel, with babel.cfg and the keywords `_`, `N_`)."""
    method_map, options_map = parse_mapping_cfg(io.StringIO((ROOT / "babel.cfg").read_text(encoding="utf-8")))
    keywords = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}
    found = extract_from_dir(str(ROOT), method_map, options_map, keywords=keywords)
    return {message if isinstance(message, str) else message[0] for _file, _line, message, _c, _ctx in found}


@pytest.mark.parametrize("language", i18n.LANGUAGES[1:])
def test_the_catalog_is_current(language):
    """Every word the templates and generator/ mark is in the catalog, and nothing else: `make messages`
    would change nothing."""
    extracted = _extracted()
    catalog = {m.id for m in _catalog(language) if m.id}
    assert extracted - catalog == set(), "new words to translate: run `make messages`"
    assert catalog - extracted == set(), "words no longer used: run `make messages`"


@pytest.mark.parametrize("language", i18n.LANGUAGES[1:])
def test_every_word_has_its_translation(language):
    catalog = _catalog(language)
    untranslated = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert untranslated == []
    # Babel's own checks: the same placeholders (%(name)s) on both sides.
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()]
    assert problems == []
    for message in catalog:  # and the same {name} placeholders, which Babel does not check
        if message.id:
            assert set(re.findall(r"\{\w+\}", message.id)) == set(re.findall(r"\{\w+\}", message.string)), message.id


@pytest.fixture(scope="module")
def pages():
    """Every page of the seed in both languages, as the build writes them (no engine)."""
    gathered = gather(ROOT)
    out = {}
    for stage in (render, corrections, reference):
        out.update({p: c for p, c in stage_outputs(gathered, stage) if p.endswith(".md")})
    return out


def test_every_page_has_its_counterpart(pages):
    handwritten = {p.relative_to(ROOT / "site_src").as_posix() for p in (ROOT / "site_src").glob("*.md")}
    handwritten -= {"index.md"}  # generated (render)
    english = {p for p in pages if not p.startswith("fr/")} | handwritten
    french = {p[len("fr/") :] for p in pages if p.startswith("fr/")}
    assert "index.md" in french and "about.md" in french
    assert english == french


def test_localized_stages_are_build_stages():
    assert set(build.LOCALIZED_STAGES) <= set(build.STAGES)


def test_a_french_fact_page_reads_as_french(pages):
    page = pages["fr/facts/bytedance-ai-infrastructure-budget-2026.md"]
    text = re.sub(r"&#(\d+);", lambda m: chr(int(m[1])), page)
    assert "160 milliards de yuans" in text
    assert "ByteDance prévoit d’investir 160 milliards de yuans dans l’infrastructure d’IA en 2026." in text
    assert "## Chaîne de sources { #source-chain }" in text  # the same anchor as in English
    assert f"<strong>Source{NBSP}:</strong>" in text and "About this figure" not in text and "(in English)" not in text
    assert "décembre 2025" in text


def test_a_quote_stays_in_its_language(pages):
    """A French page shows the French quote alone; the English page shows it with its translation."""
    french = pages["fr/facts/bytedance-ai-infrastructure-budget-2026.md"]
    english = pages["facts/bytedance-ai-infrastructure-budget-2026.md"]
    assert 'lang="fr"' in french and "Traduction" not in french and "Translation" not in french
    assert 'lang="fr"' in english and "Translation:" in english


def test_french_figures_on_pages(pages):
    text = "\n".join(pages[p] for p in pages if p.startswith("fr/facts/"))
    text = re.sub(r"&#(\d+);", lambda m: chr(int(m[1])), text)
    assert "350 à 400 milliards de dollars" in text
    assert f"plus de 30{NNBSP}000 milliards de jetons par jour" in text
    consistency = re.sub(r"&#(\d+);", lambda m: chr(int(m[1])), pages["fr/consistency/index.md"])
    assert f"+6,7{NBSP}%" in consistency
    derived = re.sub(
        r"&#(\d+);", lambda m: chr(int(m[1])), pages["fr/derived/us-big-four-spend-multiple-of-bytedance-2026.md"]
    )
    assert "15 à 17 fois" in derived or "fois" in derived


def test_the_citation_names_the_french_page_and_the_shared_data(pages):
    page = pages["fr/facts/bytedance-ai-infrastructure-budget-2026.md"]
    text = re.sub(r"&#(\d+);", lambda m: chr(int(m[1])), page)
    assert "https://ai-infra-facts.github.io/facts/fr/facts/bytedance-ai-infrastructure-budget-2026/" in text
    assert "https://ai-infra-facts.github.io/facts/data/v0.1.0/facts.json" in text  # downloads stay at the root
    assert "/fr/data/" not in text
    assert "consulté le" in text and "Faits sur l’infrastructure de l’IA" in text


def test_a_missing_translation_is_shown_marked_and_counted(project: Path):
    shutil.copy(ROOT / "mkdocs.fr.yml", project / "mkdocs.fr.yml")
    shutil.copytree(ROOT / "locales", project / "locales")
    shutil.copy(CASE, project / "facts" / "zz-untranslated.yaml")
    gathered = gather(project)
    assert gathered.report.problems == []  # a gap never stops a build: the English is there to show
    problems = i18n.untranslated(gathered.dataset, i18n.languages(project))
    found = [(p.file, p.line, p.column, p.code, p.severity) for p in problems]
    expected = re.match(r"# expect: (\S+) (\d+):(\d+)", CASE.read_text(encoding="utf-8"))
    assert expected is not None
    assert expected[1] == "untranslated"
    assert found == [("facts/zz-untranslated.yaml", int(expected[2]), int(expected[3]), expected[1], "warning")]
    assert "no French text for statement" in problems[0].message
    out = dict(stage_outputs(gathered, render))
    page = out["fr/facts/an-english-only-fact.md"]
    assert '<span lang="en">An English-only restatement' in page
    assert '<span class="aif-fallback" lang="en">(in English)</span>' in page
    assert "(in English)" in out["fr/facts/an-english-only-fact.md"].split("---")[1]  # the title, in the nav too
    # validate says it, with file:line:column, as a warning (exit 0 without --strict)
    done = subprocess.run(
        [sys.executable, "-m", "generator", "validate", "--root", str(project)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"facts/zz-untranslated.yaml:{expected[2]}:{expected[3]}: warning [untranslated]" in done.stdout


def test_strict_validation_counts_a_missing_translation_but_passes(project: Path, capsys):
    """CI runs `validate --strict`: an English-only new fact must not fail it (a contributor writing only
    English is not blocked), but the gap is printed at its file:line:col and counted in the summary."""
    shutil.copy(ROOT / "mkdocs.fr.yml", project / "mkdocs.fr.yml")
    shutil.copytree(ROOT / "locales", project / "locales")
    shutil.copy(CASE, project / "facts" / "zz-untranslated.yaml")
    expected = re.match(r"# expect: (\S+) (\d+):(\d+)", CASE.read_text(encoding="utf-8"))
    assert expected is not None
    assert cli.main(["validate", "--root", str(project), "--strict"]) == 0
    out = capsys.readouterr().out
    assert f"facts/zz-untranslated.yaml:{expected[2]}:{expected[3]}: warning [untranslated]" in out
    assert "0 errors, 1 warning (1 untranslated: shown in English, marked; never a failure, even with --strict)" in out
    assert cli.main(["validate", "--root", str(project), "--strict", "--format", "json"]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert (counts["valid"], counts["errors"], counts["warnings"], counts["untranslated"]) == (True, 0, 1, 1)
    # any other warning still fails --strict: a no-document warning is not a translation gap
    report = Report([Problem("facts/x.yaml", 1, 1, "no-document", "m", severity="warning")])
    assert report.failed(strict=True) and not report.failed(strict=False)
    assert not Report([Problem("facts/x.yaml", 1, 1, "untranslated", "m", severity="warning")]).failed(strict=True)


def test_english_pages_do_not_change_with_french(project: Path):
    """The French project adds pages; the English ones are the same bytes with or without it."""
    english_only = dict(render.outputs(gather(project)))
    shutil.copy(ROOT / "mkdocs.fr.yml", project / "mkdocs.fr.yml")
    shutil.copytree(ROOT / "locales", project / "locales")
    both = dict(stage_outputs(gather(project), render))
    assert {p: c for p, c in both.items() if not p.startswith("fr/")} == english_only
    assert any(p.startswith("fr/") for p in both)


def test_downloads_stay_neutral_with_column_descriptions_in_both_languages():
    gathered = gather(ROOT)
    package = release.datapackage(gathered.dataset, "9.9.9", gathered.site)
    for resource in package["resources"]:
        for field in resource["schema"]["fields"]:
            assert field["descriptions"]["en"] == field["description"]
            assert field["descriptions"]["fr"] and field["descriptions"]["fr"] != field["description"], field["name"]
    facts = next(r for r in package["resources"] if r["name"] == "facts")
    period = next(f for f in facts["schema"]["fields"] if f["name"] == "period")
    assert period["descriptions"]["fr"].startswith("Quand le fait s’applique")
    # one set of files at the site root, none under fr/
    written = [p for p, _ in stage_outputs(gathered, release)]
    assert written and not any(p.startswith("fr/") for p in written)


def test_correction_and_retraction_reasons_are_said_in_each_language(project: Path):
    """A history entry's and a retraction's `reason` take `translations` like every reader-facing text:
    the French corrections page and feed say the French reason, a missing one is marked and counted."""
    shutil.copy(ROOT / "mkdocs.fr.yml", project / "mkdocs.fr.yml")
    shutil.copytree(ROOT / "locales", project / "locales")
    investment = project / "facts" / "investment.yaml"
    french_reason = "        translations: {fr: {reason: Le FT a corrigé le chiffre.}}\n"
    edit(investment, VALUE_2026, HISTORY.replace("    status: planned", french_reason + "    status: planned"))
    edit(
        investment,
        "      of about 6.96 yuan per dollar (see cny-per-usd-implied-2025-12).\n",
        "      of about 6.96 yuan per dollar (see cny-per-usd-implied-2025-12).\n"
        f"    retracted: {{date: 2026-11-29, reason: A conversion is not a fact., replaced_by: {BUDGET_2026}}}\n",
    )
    gathered = gather(project)
    assert gathered.report.errors == [], gathered.report.render()
    pages = dict(stage_outputs(gathered, render)) | dict(stage_outputs(gathered, corrections))
    english, french = pages["corrections/index.md"], pages["fr/corrections/index.md"]
    assert "The FT corrected the figure" in english and "Le FT a corrig" not in english
    assert "Le FT a corrig" in french and "The FT corrected" not in french
    # the retraction has no French reason: shown in English, tagged and marked
    assert '<span lang="en">A conversion is not a fact.</span> <span class="aif-fallback"' in french
    feed = pages["fr/corrections/feed.xml"].decode("utf-8")
    assert "Le FT a corrigé le chiffre." in feed and "A conversion is not a fact. (in English)" in feed
    gaps = [p.message for p in i18n.untranslated(gathered.dataset, i18n.languages(project))]
    assert any("retracted.reason" in message for message in gaps), gaps
    assert not any("history[0].reason" in message for message in gaps), gaps
