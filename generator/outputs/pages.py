"""Page contexts for the render stage: what each page says, computed once, ready for the templates.

Templates only lay things out; every sentence about a value is made here through generator.model.fmt,
so a range stays a range and a bound stays a bound on every page.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml
from babel import Locale
from markupsafe import Markup

from generator.compute.derive import (
    CheckResult,
    Derivation,
    DerivedValue,
    check_words,
    fact_amount,
    fact_label,
    facts_behind,
)
from generator.inputs import series
from generator.inputs.dataset import Dataset
from generator.model import fmt, periods, units
from generator.model.schema import Fact, Source
from generator.model.values import Amount
from generator.outputs import i18n
from generator.outputs.edition import Edition
from generator.outputs.i18n import N_, _

ROLE_LABELS = {
    "document-read": N_("document read"),
    "primary-reporter": N_("reporter"),
    "data-provider": N_("data provider"),
    "company-statement": N_("company statement"),
    "official": N_("official source"),
}
#: Kinds of entity, as pages say them.
KIND_LABELS = {
    "company": N_("company"),
    "product": N_("product"),
    "group": N_("group"),
    "government": N_("government"),
    "person": N_("person"),
    "organisation": N_("organisation"),
    "currency": N_("currency"),
}
_SAFE_PATH = re.compile(r"^[A-Za-z0-9._/#-]*$")


@dataclass(frozen=True)
class Site:
    """Site-wide settings read from mkdocs.yml, and the build date used in citations."""

    name: str
    url: str
    repo_url: str
    build_date: str
    #: The site root's URL, where the language-neutral downloads are (url is a language's own address).
    root_url: str = ""
    slug: str = "ai-infra-facts"  # mkdocs.yml extra.dataset_name
    description: str = ""

    def page_url(self, page: str) -> str:
        """The public URL of a Markdown page under site_src/ (directory URLs)."""
        path = page[: -len("index.md")] if page.endswith("index.md") else page[: -len(".md")] + "/"
        return self.url.rstrip("/") + "/" + path

    def correction_url(self, fact_id: str) -> str:
        """The issue form for a correction, with the fact id filled in."""
        return f"{self.repo_url}/issues/new?template=fact-correction.yml&fact-id={quote(fact_id)}"

    def source_line_url(self, file: str, line: int) -> str:
        """The YAML file on the repository, at a line."""
        return f"{self.repo_url}/blob/main/{quote(file)}#L{line}"


def site_settings(root: Path, build_date: str) -> Site:
    """Name, URL and repository of the site from mkdocs.yml (read once per build, by the context), and
    for another language than English from its own project, mkdocs.<language>.yml (its name and its
    address under /<language>/)."""
    config: dict[str, Any] = {}
    path = root / "mkdocs.yml"
    if path.is_file():
        # mkdocs.yml may hold !!python tags for extensions; those lines are not needed here.
        config = yaml.load(path.read_text(encoding="utf-8"), Loader=_LenientLoader) or {}
    extra: dict[str, Any] = config["extra"] if isinstance(config.get("extra"), dict) else {}
    language = i18n.current()
    root_url = str(config.get("site_url") or DEFAULT_SITE_URL).rstrip("/") + "/"
    default_url = root_url + i18n.prefix(language)
    if language != i18n.DEFAULT:
        overlay = root / f"mkdocs.{language}.yml"
        config = {k: v for k, v in config.items() if k not in ("site_name", "site_url")}
        if overlay.is_file():
            config.update(yaml.load(overlay.read_text(encoding="utf-8"), Loader=_LenientLoader) or {})
    return Site(
        name=str(config.get("site_name") or DEFAULT_NAME),
        url=str(config.get("site_url") or default_url).rstrip("/") + "/",
        repo_url=str(config.get("repo_url") or DEFAULT_REPO_URL).rstrip("/"),
        build_date=build_date,
        slug=str(extra.get("dataset_name") or DEFAULT_SLUG),
        description=str(config.get("site_description") or ""),
        root_url=root_url,
    )


# The site's identity comes from mkdocs.yml (site_name, site_url, repo_url, extra.dataset_name);
# these are used only where it says nothing.
DEFAULT_NAME = "AI infrastructure facts"
DEFAULT_SITE_URL = "https://ai-infra-facts.github.io/facts/"
DEFAULT_REPO_URL = "https://github.com/ai-infra-facts/facts"
DEFAULT_SLUG = "ai-infra-facts"


class _LenientLoader(yaml.SafeLoader):
    """A safe loader that reads unknown tags as None instead of failing."""


_LenientLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def relative(here: str, target: str) -> Markup:
    """A link from page `here` to page or file `target` (both under site_src/), as Markup."""
    return _link(here.rpartition("/")[0], target)


@functools.lru_cache(maxsize=1 << 16)
def _link(folder: str, target: str) -> Markup:
    # Pages of one folder link to the same targets (their entity, metric, sources, the menus): at 2,000
    # realistic facts 56,000 links were 1.3 s of posixpath.relpath, which makes both paths absolute first.
    base, _, anchor = target.partition("#")
    link = posixpath.relpath(base, folder or ".") if base else ""
    link += f"#{anchor}" if anchor else ""
    if not _SAFE_PATH.match(link):  # ids are slugs; anything else is a bug, never untrusted text in a link
        raise ValueError(f"unsafe link target {target!r}")
    return Markup(link)


def amount_of(fact: Fact) -> Amount | None:
    """A fact's amount, retracted facts included (the derivation leaves those out)."""
    try:
        return fact_amount(fact)
    except units.UnitError:
        return None


def say(amount: Amount | None, style: str = "long", signed: bool = False) -> str:
    """An amount in words (long) or compact (short); an event has no number."""
    if amount is None:
        return _("event (no number)") if style == "long" else _("event")
    return fmt.format_amount(amount, i18n.current(), style, signed=signed)  # type: ignore[arg-type]


def split_unit(short: str, amount: Amount | None) -> tuple[str, str]:
    """A short value cut into its number and its unit words, for a large figure with a smaller unit:
    ("> 30 tn", "tokens/day"), ("¥160 bn", ""); a currency sign stays with its number."""
    if amount is None:
        return short, ""
    for plural in (True, False):
        label = fmt.unit_label(amount.unit, plural, "short", i18n.current())
        if label and short.endswith(" " + label):
            return short[: -len(label) - 1], label
    return short, ""


def say_figure(amount: Amount, kind: fmt.FigureKind, style: str = "long") -> str:
    """A computed figure said as its kind: a share "57%", a change "+1.3%", a multiple "15–17×"."""
    return fmt.format_figure(amount, kind, i18n.current(), style)  # type: ignore[arg-type]


def say_derived(value: DerivedValue, style: str = "long") -> str:
    """A derived figure in words or compact, as the kind of figure it is (see fmt.figure_kind)."""
    return say_figure(value.amount, value.kind, style)


def check_detail(result: CheckResult) -> str:
    """Why a check passes or not, in the words of its figure (see derive.check_words)."""
    return check_words(result.amount, result.kind, result.definition, result.passed, i18n.current(), _)


def period_key(period: str, fiscal_start_month: int | None = None) -> tuple[dt.date, dt.date]:
    """Sort key of a period by real dates: its first day, then its last (generator.model.periods)."""
    return periods.sort_key(period, fiscal_start_month)


#: Longest short label of a source: table cells and chart credits stay one line.
SHORT_LABEL = 40
STATUS_KEYS = {
    "reported": "reported",
    "announced": "reported",
    "planned": "planned",
    "forecast": "planned",
    "intention": "intention",
    "estimated": "estimate",
}


def source_label(source: Source) -> str:
    """One short name per source (at most SHORT_LABEL characters), the same in every table and chart:
    a document read in another language is "a French-language report" (as the chart credits say);
    otherwise the publisher without a closing parenthesis. The full credit is on the source's page."""
    if source.role == "document-read" and source.language.split("-")[0] != i18n.current():
        language = Locale(i18n.current()).languages.get(source.language.split("-")[0], source.language)
        return _("a {language}-language report").format(language=language)
    name = re.sub(r"\s*\([^()]*\)$", "", source.publisher).strip() or source.publisher
    return name if len(name) <= SHORT_LABEL else name[: SHORT_LABEL - 1].rstrip(" ,;") + "…"


def fact_sources(dataset: Dataset, fact: Fact) -> list[Source]:
    """The sources a table names for a fact: the original producers it is credited to (data providers,
    company statements, officials), else its reporters, else the document read."""
    chain = source_chain(dataset, fact)
    producers = [s for s in chain if s.role not in ("document-read", "primary-reporter")]
    reporters = [s for s in chain if s.role == "primary-reporter"]
    return producers or reporters or chain[:1]


def upper_first(text: str) -> str:
    """The text with a capital first letter (labels start lowercase to sit inside sentences)."""
    return text[:1].upper() + text[1:]


def fact_heading(dataset: Dataset, fact: Fact) -> str:
    """A fact page's heading: who, what, when ("ByteDance: AI infrastructure budget, 2026")."""
    metric = dataset.metrics[fact.metric].model.name if fact.metric in dataset.metrics else fact.metric
    entity = dataset.entities[fact.entity].model.name if fact.entity in dataset.entities else fact.entity
    entity = re.sub(r"\s*\([^()]*\)$", "", entity).strip() or entity
    return _("{entity}: {metric}, {period}").format(
        entity=entity, metric=metric, period=dataset.period_label(fact, i18n.current())
    )


def via_line(dataset: Dataset, fact: Fact) -> str:
    """Where the figure comes from, in one line: "QuestMobile, via Financial Times and a French-language report"."""
    named = fact_sources(dataset, fact)
    rest = [s for s in source_chain(dataset, fact) if s not in named][::-1]  # nearest the producer first
    and_ = _(" and ")
    head = and_.join(source_label(s) for s in named)
    return head + (_(", via ") + and_.join(source_label(s) for s in rest) if rest else "")


def source_chain(dataset: Dataset, fact: Fact) -> list[Source]:
    """The document read, then every source it credits for this fact, in order, each once."""
    ids = [fact.source, *fact.attributed_to]
    seen: list[str] = []
    for sid in ids:
        if sid not in seen and sid in dataset.sources:
            seen.append(sid)
    return [dataset.sources[sid].model for sid in seen]


#: What a citation says when the page no longer matches the newest release, by what is cited and release
#: state: whole sentences, so a language whose words agree with the noun (French "ce fait a changé", "les
#: données de ce graphique ont changé") can say each one.
NOTES = {
    "fact": {
        "changed": N_(
            "This fact changed after release {version}; cite the page URL and access date. "
            "Release {version} holds its earlier value: {data_url}."
        ),
        "added": N_("This fact was added after release {version}; cite the page URL and access date."),
        "unreleased": N_("No release of the dataset holds this fact yet; cite the page URL and access date."),
    },
    "figure": {
        "changed": N_(
            "This figure changed after release {version}; cite the page URL and access date. "
            "Release {version} holds its earlier value: {data_url}."
        ),
        "added": N_("This figure was added after release {version}; cite the page URL and access date."),
        "unreleased": N_("No release of the dataset holds this figure yet; cite the page URL and access date."),
    },
    "chart's data": {
        "changed": N_(
            "This chart's data changed after release {version}; cite the page URL and access date. "
            "Release {version} holds its earlier value: {data_url}."
        ),
        "added": N_("This chart's data was added after release {version}; cite the page URL and access date."),
        "unreleased": N_("No release of the dataset holds this chart's data yet; cite the page URL and access date."),
    },
}
_BIBTEX = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\{",
        "}": r"\}",
        "%": r"\%",
        "&": r"\&",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "^": r"\^{}",
        "~": r"\~{}",
    }
)


def credit(dataset: Dataset, facts: list[Fact]) -> str:
    """The original producers of some facts, then the documents they were read in."""
    producers: list[str] = []
    read: list[str] = []
    for fact in facts:
        for source in source_chain(dataset, fact):
            (read if source.role == "document-read" else producers).append(source.publisher)
    producers, read = list(dict.fromkeys(producers)), list(dict.fromkeys(read))
    via = _(" (as reported by {names})").format(names=_(" and ").join(read)) if producers and read else ""
    separator = _("; ")  # a list of names or parts: French puts a space before the semicolon
    return (separator.join(producers) or separator.join(read) or _("Unknown source")) + via


def cite(
    site: Site,
    edition: Edition,
    state: str,
    *,
    producers: str,
    title: str,
    page: str,
    data: str,
    noun: str,
    extra: str = "",
) -> dict[str, Any]:
    """The "Cite this" line (and a note when the page is newer than the release) of one page."""
    url, data_url = site.page_url(page), (edition.data_url(site.root_url or site.url, data) if edition.version else "")
    if state == "released":
        where = _("dataset version {version}, {url} ({extra}data: {data_url})").format(
            version=edition.version, url=url, extra=extra, data_url=data_url
        )
    else:
        where = f"{url}" + (f" ({extra.rstrip('; ')})" if extra else "")
    text = _("{producers}. \u201c{title}.\u201d In: {site}, {where}, accessed {date}.").format(
        producers=producers, title=title.rstrip("."), site=site.name, where=where, date=i18n.date_words(site.build_date)
    )
    said = NOTES[noun]
    note = _(said[state]).format(version=edition.version, data_url=data_url) if state in said else ""
    return {"text": text, "note": note, "state": state, "version": edition.version, "url": url, "data_url": data_url}


def bibtex(key: str, authors: list[str], title: str, cited: dict[str, Any], site: Site, year: str) -> Markup:
    """A BibTeX @misc entry, LaTeX-escaped, then HTML-escaped for a <pre> block (Markup). A technical format
    in every language: its field names, ISO dates and English notes are what reference managers read."""
    fields = [
        ("author", " and ".join("{" + a.translate(_BIBTEX) + "}" for a in authors)),
        ("title", "{" + title.translate(_BIBTEX) + "}"),
        (
            "howpublished",
            (
                f"{site.name}, dataset version {cited['version']}" if cited["state"] == "released" else site.name
            ).translate(_BIBTEX),
        ),
        ("year", year),
        ("url", cited["url"].translate(_BIBTEX)),
        (
            "note",
            (f"Data: {cited['data_url']}. " if cited["state"] == "released" else "").translate(_BIBTEX)
            + f"Accessed {site.build_date}",
        ),
        ("urldate", site.build_date),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return Markup(html.escape(f"@misc{{{key},\n{body}\n}}", quote=True))


def _facts_behind(dataset: Dataset, derivation: Derivation, ref: str) -> list[Fact]:
    """The facts a fact or derived figure rests on, following derived inputs, each once."""
    if ref in dataset.facts:
        return [dataset.facts[ref].model]
    # Collected once per figure by derive (derive.facts_behind): walking the chain here again for
    # every page took 2^depth steps on a diamond-shaped chain.
    return [dataset.facts[fid].model for fid in facts_behind(derivation, ref)]


def charts_using(dataset: Dataset, ref: str) -> list[Any]:
    """Charts that plot a fact or derived figure (their pages come from the generator.outputs.embed stage)."""
    return dataset.charts_by_ref.get(ref, [])


#: The site's preview card (generator.embed draws it): for pages that no chart shows, and the home page.
SHARE_CARD = "assets/generated/share-card.png"
SHARE_CARD_SIZE = (1200, 630)


def share_image(dataset: Dataset, ref: str | None = None) -> dict[str, Any]:
    """The preview image of a page, path under the site root, and its size when known: the PNG of a chart
    plotting `ref`, else the site's card (never an unrelated chart); none when there is no chart.

    A card per fact (its figure in large type) would say more, but costs a PNG of about 20 kB for each of
    thousands of facts; one card for the site costs one file."""
    if not dataset.charts:
        return {"image": "", "image_size": None}
    plotted = charts_using(dataset, ref) if ref else []
    if plotted:
        return {"image": f"charts/{plotted[0].id}/chart.png", "image_size": None}
    return {"image": SHARE_CARD, "image_size": SHARE_CARD_SIZE}


def _replacement(dataset: Dataset, fid: str | None) -> dict[str, str] | None:
    """The fact a retracted one is replaced by, as its page links to it (its statement, else its id)."""
    if fid is None:
        return None
    return {"id": fid, "statement": dataset.facts[fid].model.statement if fid in dataset.facts else fid}


def fact_context(
    site: Site,
    dataset: Dataset,
    derivation: Derivation,
    fid: str,
    edition: Edition,
    rows: dict[str, dict[str, Any]],
    changed: dict[str, tuple[str, str]],
) -> dict[str, Any]:
    """Everything the page of one fact shows; `rows` are the current download rows, `changed` git's dates."""
    record = dataset.facts[fid]
    fact = record.model
    page = f"facts/{fid}.md"
    amount = amount_of(fact)
    history = [
        {
            "entry": h,
            "previous": _previous(h, fact),
            "source_publisher": dataset.sources[h.source].model.publisher if h.source in dataset.sources else None,
        }
        for h in fact.history
    ]
    used_by = [
        {"id": uid, "kind": "derived" if uid in derivation.values else "check", "title": title_of(dataset, uid)}
        for uid in derivation.used_by.get(fid, [])
    ]
    return {
        "page": page,
        "fact": fact,
        "record": record,
        "value_long": say(amount, "long"),
        "heading": fact_heading(dataset, fact),
        "label": fact_label(dataset, fact, i18n.current()),
        "figure": split_unit(say(amount, "short"), amount),
        "status_key": STATUS_KEYS.get(fact.status, "reported"),
        "via": via_line(dataset, fact),
        **share_image(dataset, fid),
        "value_short": say(amount, "short"),
        "period": dataset.period_label(fact, i18n.current()),
        "status": fmt.status_label(fact.status, i18n.current()),
        "chain": source_chain(dataset, fact),
        "entity": dataset.entities[fact.entity].model if fact.entity in dataset.entities else None,
        "metric": dataset.metrics[fact.metric].model if fact.metric in dataset.metrics else None,
        "history": history,
        "used_by": used_by,
        "charts": charts_using(dataset, fid),
        **_fact_citation(site, dataset, fact, page, edition, rows[fid]),
        "last_changed": _last_changed(site, changed, fid),
        "yaml_url": site.source_line_url(record.file, record.line),
        "correction_url": site.correction_url(fid),
        "replaced_by": _replacement(dataset, fact.retracted.replaced_by) if fact.retracted else None,
        "standing": series.standing(dataset, fact, dataset.superseded_by),
        "as_of_label": periods.date_label(fact.as_of, i18n.current()),
        "superseded_by": _version(dataset, dataset.superseded_by.get(fid)),
        "supersedes": _version(dataset, fact.supersedes if fact.supersedes in dataset.facts else None),
        "timeline": [_version(dataset, f.id) for f in series.timeline(dataset, fid)],
    }


#: How a statement stands, for readers (series.standing gives the key).
STANDING_WORDS = {
    "current": lambda: _("current"),
    "superseded": lambda: _("superseded"),
    "retracted": lambda: _("retracted"),
}


def _version(dataset: Dataset, fid: str | None) -> dict[str, Any] | None:
    """One statement of a revised figure, for a fact's timeline: when, what, how sure, and whether current."""
    if fid is None:
        return None
    fact = dataset.facts[fid].model
    return {
        "id": fid,
        "as_of": periods.date_label(fact.as_of, i18n.current()),
        "value": say(amount_of(fact), "short"),
        "status": fmt.status_label(fact.status, i18n.current()),
        "standing": STANDING_WORDS[series.standing(dataset, fact, dataset.superseded_by)](),
    }


def _fact_citation(
    site: Site, dataset: Dataset, fact: Fact, page: str, edition: Edition, row: dict[str, Any]
) -> dict[str, Any]:
    """The cite line, its note and the BibTeX entry of one fact."""
    chain = source_chain(dataset, fact)
    cited = cite(
        site,
        edition,
        edition.state("facts.json", row),
        producers=credit(dataset, [fact]),
        title=fact.statement,
        page=page,
        data="facts.json",
        noun="fact",
    )
    authors = list(dict.fromkeys([s.publisher for s in chain if s.role != "document-read"] + [site.name]))
    year = (edition.date or site.build_date)[:4] if cited["state"] == "released" else site.build_date[:4]
    return {
        "cite": cited,
        "bibtex": bibtex(
            f"{fact.id}-v{edition.version}" if cited["state"] == "released" else fact.id,
            authors,
            fact.statement,
            cited,
            site,
            year,
        ),
    }


def _last_changed(site: Site, changed: dict[str, tuple[str, str]], fid: str) -> dict[str, str] | None:
    """When git last saw this fact's lines change; None when git knows nothing (not a checkout)."""
    if fid not in changed:
        return {"date": "", "commit": "", "short": "", "url": ""} if changed else None
    date, commit = changed[fid]
    if not re.fullmatch(r"[0-9a-f]{40,64}", commit):  # a hash only: it goes into a link
        return None
    return {"date": date, "commit": commit, "short": commit[:7], "url": f"{site.repo_url}/commit/{commit}"}


def _previous(entry: Any, fact: Fact) -> str:
    """A history entry's previous value, formatted like the current one."""
    if entry.previous_value is None:
        return _("(unchanged)")
    unit = entry.previous_unit or fact.unit
    old = fact.model_copy(update={"value": entry.previous_value, "unit": unit})
    return say(amount_of(old), "short")


def title_of(dataset: Dataset, ref: str) -> str:
    """The title of a derived figure, check or fact, for link text."""
    for section in (dataset.derived, dataset.checks):
        if ref in section:
            return section[ref].model.title
    if ref in dataset.facts:
        return upper_first(fact_label(dataset, dataset.facts[ref].model, i18n.current()))
    return ref


def derived_context(
    site: Site, dataset: Dataset, derivation: Derivation, did: str, edition: Edition, rows: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """Everything the page of one derived figure shows; `rows` are the current derived download rows."""
    value = derivation.values[did]
    producers = credit(dataset, _facts_behind(dataset, derivation, did)) + _("; computed by {site}").format(
        site=site.name
    )
    cited = cite(
        site,
        edition,
        edition.state("derived.json", rows[did]),
        producers=producers,
        title=value.definition.title,
        page=f"derived/{did}.md",
        data="derived.json",
        noun="figure",
    )
    inputs = [
        {"ref": i.ref, "kind": i.kind, "title": title_of(dataset, i.ref), "value": say(i.amount, "long")}
        for i in value.inputs
    ]
    return {
        "page": f"derived/{did}.md",
        "value": value,
        "definition": value.definition,
        "value_long": say_derived(value, "long"),
        "value_short": say_derived(value, "short"),
        "inputs": inputs,
        "rates_used": [{"ref": r, "title": title_of(dataset, r)} for r in value.rates_used],
        "charts": charts_using(dataset, did),
        "cite": cited,
        **share_image(dataset, did),
        "used_by": [
            {"id": u, "title": title_of(dataset, u), "kind": "derived" if u in derivation.values else "check"}
            for u in derivation.used_by.get(did, [])
        ],
    }


def fact_rows(dataset: Dataset, fids: list[str] | None = None) -> list[dict[str, Any]]:
    """Table rows for facts: id, statement, entity, metric, period, short value, status, source."""
    rows = []
    for fid in fids if fids is not None else list(dataset.facts):
        fact = dataset.facts[fid].model
        amount = amount_of(fact)
        entity = dataset.entities.get(fact.entity)
        metric = dataset.metrics.get(fact.metric)
        source = dataset.sources.get(fact.source)
        rows.append(
            {
                "id": fid,
                "fact": fact,
                "entity": entity.model.name if entity else fact.entity,
                "metric": metric.model.name if metric else fact.metric,
                "period": dataset.period_label(fact, i18n.current()),
                "period_sort": dataset.period_span(fact)[0].isoformat(),
                "value": say(amount, "short"),
                "sort": _sort_key(amount),
                "figure": split_unit(say(amount, "short"), amount),
                "status": fmt.status_label(fact.status, i18n.current()),
                "source": source.model.publisher if source else fact.source,
                "credited": [dataset.sources[s].model.publisher for s in fact.attributed_to if s in dataset.sources],
                "label": upper_first(fact_label(dataset, fact, i18n.current())),
                "status_key": STATUS_KEYS.get(fact.status, "reported"),
                "superseded": fid in dataset.superseded_by,
                "sources": [{"id": s.id, "label": source_label(s)} for s in fact_sources(dataset, fact)],
            }
        )
    return rows


def _sort_key(amount: Amount | None) -> str:
    """A number for the table sorter: the central value, or empty for an event."""
    central = amount.central if amount is not None else None
    return "" if central is None else repr(float(central))


def headline(dataset: Dataset) -> list[dict[str, Any]]:
    """The home page's figures: the facts marked `featured`, else the latest fact of each metric (up to eight)."""
    featured = [fid for fid, r in dataset.facts.items() if r.model.featured and r.model.retracted is None]
    if featured:
        return fact_rows(dataset, featured)
    best: dict[str, str] = {}
    for fid, record in dataset.facts.items():
        fact = record.model
        if fact.value is None or fact.retracted is not None:
            continue
        current = best.get(fact.metric)
        if current is None or dataset.period_span(fact) > dataset.period_span(dataset.facts[current].model):
            best[fact.metric] = fid
    ordered = [best[m] for m in dataset.metrics if m in best][:8]
    return fact_rows(dataset, ordered)


def latest_changes(dataset: Dataset, limit: int = 10) -> list[dict[str, Any]]:
    """Corrections and retractions, newest first."""
    changes = []
    for fid, record in dataset.facts.items():
        fact = record.model
        for entry in fact.history:
            changes.append(
                {"date": entry.changed, "id": fid, "fact": fact, "what": N_("corrected"), "reason": entry.reason}
            )
        if fact.retracted is not None:
            changes.append(
                {
                    "date": fact.retracted.date,
                    "id": fid,
                    "fact": fact,
                    "what": N_("retracted"),
                    "reason": fact.retracted.reason,
                }
            )
    changes.sort(key=lambda c: (c["date"], c["id"]), reverse=True)
    return changes[:limit]
