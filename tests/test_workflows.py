"""Keep the GitHub side honest: pinned actions, least privilege, no script injection, valid files.

The checks are small functions, each tested on a deliberately bad snippet too, so a check that
silently stopped finding anything would fail here. External tools (check-jsonschema, zizmor)
are taken from the test interpreter's own environment and run offline.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent
IN_CI = os.environ.get("CI", "").lower() == "true"

# Write permissions are allowed only where they are used: (workflow, job) -> scopes.
ALLOWED_WRITES = {
    ("pages.yml", "deploy"): {"pages", "id-token"},
    ("pr-comment.yml", "comment"): {"pull-requests"},
}
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>[^\s#]+)\s*(?P<comment>#.*)?$")
PINNED = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@(?P<sha>[0-9a-f]{40})$")
VERSION_COMMENT = re.compile(r"^#\s*(?P<version>v\d+(?:\.\d+){0,2})\b")
# A proxy that refuses every connection: any attempt to reach the network fails loudly.
OFFLINE_ENV = {
    **os.environ,
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "HTTP_PROXY": "http://127.0.0.1:9",
    "NO_PROXY": "",
    "ZIZMOR_OFFLINE": "true",
}


def load(path: Path) -> dict[str, Any]:
    """Parse a workflow; YAML 1.1 reads the key `on` as True, so it is renamed back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return data


def triggers(workflow: dict[str, Any]) -> set[str]:
    """Event names of a workflow, whichever YAML form `on:` takes."""
    on = workflow.get("on", {})
    return {on} if isinstance(on, str) else set(on)


def steps(workflow: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every (job id, step) pair of a workflow."""
    return [(job_id, step) for job_id, job in workflow["jobs"].items() for step in job.get("steps", [])]


def unpinned_uses(text: str) -> list[str]:
    """`uses:` lines not pinned to a full commit SHA with a `# vX.Y.Z` comment."""
    bad = []
    for line in text.splitlines():
        match = USES_LINE.match(line)
        if not match or match["ref"].startswith("./"):
            continue
        if not PINNED.match(match["ref"]) or not VERSION_COMMENT.match(match["comment"] or ""):
            bad.append(line.strip())
    return bad


def expressions_in_scripts(workflow: dict[str, Any]) -> list[str]:
    """Steps whose shell or github-script code contains a `${{ }}` expression (script injection)."""
    bad = []
    for job_id, step in steps(workflow):
        code = [step.get("run", "")]
        if str(step.get("uses", "")).startswith("actions/github-script@"):
            code.append(step.get("with", {}).get("script", ""))
        if any("${{" in part for part in code):
            bad.append(f"{job_id}: {step.get('name', step.get('uses', '?'))}")
    return bad


def write_scopes(permissions: Any) -> set[str]:
    """Scopes a `permissions:` value grants write access to ('*' for write-all)."""
    if permissions is None or permissions == {}:
        return set()
    if isinstance(permissions, str):
        return {"*"} if permissions == "write-all" else set()
    return {scope for scope, level in permissions.items() if level == "write"}


def permission_problems(name: str, workflow: dict[str, Any]) -> list[str]:
    """Top level must grant nothing (or read only); writes only where ALLOWED_WRITES says."""
    problems = []
    if "permissions" not in workflow:
        problems.append(f"{name}: no top-level permissions (the default token may be read-write)")
    elif write_scopes(workflow["permissions"]):
        problems.append(f"{name}: top-level permissions grant write: {workflow['permissions']}")
    for job_id, job in workflow["jobs"].items():
        extra = write_scopes(job.get("permissions")) - ALLOWED_WRITES.get((name, job_id), set())
        if extra:
            problems.append(f"{name}/{job_id}: unexpected write permissions {sorted(extra)}")
    return problems


def readme_commands() -> list[str]:
    """`make ...` lines of the README's fenced code blocks, in order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```[^\n]*\n(.*?)^```", text, flags=re.S | re.M)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip().startswith("make ")]


def tool(name: str) -> Path:
    """A command-line tool from the test interpreter's environment; fails in CI when missing."""
    path = BIN / name
    if not path.exists():
        if IN_CI:
            pytest.fail(f"{name} is not installed in {BIN}: add it to requirements.lock")
        pytest.skip(f"{name} is not installed in {BIN}")
    return path


def test_there_are_workflows_to_check():
    assert {p.name for p in WORKFLOWS} >= {"ci.yml", "pages.yml", "pr-comment.yml"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version(path):
    text = path.read_text(encoding="utf-8")
    assert unpinned_uses(text) == []
    # The line scan must see every `uses:` the YAML parser sees (no flow-style hiding place).
    parsed = [step["uses"] for _, step in steps(load(path)) if "uses" in step]
    assert len([line for line in text.splitlines() if USES_LINE.match(line)]) == len(parsed)


def test_pin_check_refuses_tags_branches_short_shas_and_missing_versions():
    bad = """
      - uses: actions/checkout@v6
      - uses: actions/checkout@main
      - uses: actions/checkout@8e8c483
      - uses: actions/checkout@8e8c483db84b4bee98b60c0593521ed34d9990e8
      - uses: actions/checkout@8e8c483db84b4bee98b60c0593521ed34d9990e8 # latest
      - uses: docker://alpine:3
      - uses: ./local-action
      - uses: actions/checkout@8e8c483db84b4bee98b60c0593521ed34d9990e8 # v6.0.1
    """
    assert len(unpinned_uses(bad)) == 6


def test_one_action_has_one_pin_across_workflows():
    pins: dict[str, set[str]] = {}
    for path in WORKFLOWS:
        for line in path.read_text(encoding="utf-8").splitlines():
            if (match := USES_LINE.match(line)) and "@" in match["ref"]:
                action, sha = match["ref"].split("@")
                pins.setdefault(action, set()).add(f"{sha} {match['comment']}")
    assert pins, "no pinned action found"
    assert {action: sorted(found) for action, found in pins.items() if len(found) > 1} == {}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_pull_request_target_and_least_privilege(path):
    workflow = load(path)
    assert "pull_request_target" not in triggers(workflow)
    assert "pull_request_target" not in path.read_text(encoding="utf-8")
    assert permission_problems(path.name, workflow) == []


def test_permission_check_catches_broad_and_misplaced_writes():
    workflow = {"permissions": "write-all", "jobs": {"build": {"permissions": {"pages": "write", "contents": "read"}}}}
    assert len(permission_problems("pages.yml", workflow)) == 2
    assert permission_problems("x.yml", {"jobs": {}}) != []


def test_pages_and_oidc_writes_only_on_the_deploy_job():
    for path in WORKFLOWS:
        for job_id, job in load(path)["jobs"].items():
            if write_scopes(job.get("permissions")) & {"pages", "id-token"}:
                assert (path.name, job_id) == ("pages.yml", "deploy")
                assert job["environment"]["name"] == "github-pages"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_expression_is_pasted_into_a_script(path):
    assert expressions_in_scripts(load(path)) == []


def test_injection_check_catches_event_values_in_run_and_script():
    workflow = {
        "jobs": {
            "j": {
                "steps": [
                    {"name": "a", "run": 'echo "${{ github.event.pull_request.title }}"'},
                    {"name": "b", "run": "git diff origin/${{ github.base_ref }}"},
                    {"name": "c", "uses": "actions/github-script@x", "with": {"script": "f('${{ github.head_ref }}')"}},
                    {"name": "d", "run": 'echo "$TITLE"', "env": {"TITLE": "${{ github.event.pull_request.title }}"}},
                ]
            }
        }
    }
    assert expressions_in_scripts(workflow) == ["j: a", "j: b", "j: c"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_checkout_never_persists_credentials_and_jobs_have_timeouts(path):
    workflow = load(path)
    for _, step in steps(workflow):
        if str(step.get("uses", "")).startswith("actions/checkout@"):
            assert step.get("with", {}).get("persist-credentials") is False
    for job_id, job in workflow["jobs"].items():
        assert isinstance(job.get("timeout-minutes"), int), f"{job_id} has no timeout-minutes"


def run_step_lines(workflow: dict[str, Any]) -> list[str]:
    """Every line of every `run:` script, stripped, in order."""
    return [line.strip() for _, step in steps(workflow) for line in step.get("run", "").splitlines()]


def test_ci_runs_the_readme_commands():
    commands = readme_commands()
    assert "make site" in commands and "make test" in commands, f"README's make commands: {commands}"
    lines = run_step_lines(load(GITHUB / "workflows" / "ci.yml"))
    for command in ("make site", "make test"):
        assert command in lines, f"ci.yml does not run `{command}` as the README says"
    assert lines.index("make site") < lines.index("make test")


def test_ci_annotates_builds_strictly_summarises_and_uploads():
    ci = load(GITHUB / "workflows" / "ci.yml")
    assert {"pull_request", "push"} <= triggers(ci)
    code = "\n".join(step.get("run", "") for _, step in steps(ci))
    assert "-m generator validate --format github" in code
    assert "-m generator build --strict" in code
    assert "-m generator diff" in code and "$GITHUB_STEP_SUMMARY" in code
    checkout = next(s for _, s in steps(ci) if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0, "the diff needs the base branch's history"
    uploads = {s["with"]["name"]: s for _, s in steps(ci) if s.get("uses", "").startswith("actions/upload-artifact@")}
    assert uploads["site-preview"]["with"]["path"] == "site/"
    assert "fact-diff" in uploads and "pr-number" in code


def test_pages_builds_then_deploys_without_racing():
    pages = load(GITHUB / "workflows" / "pages.yml")
    assert pages["on"]["push"]["branches"] == ["main"] and "workflow_dispatch" in pages["on"]
    assert pages["concurrency"]["cancel-in-progress"] is False and pages["concurrency"]["group"]
    build, deploy = pages["jobs"]["build"], pages["jobs"]["deploy"]
    used = [s.get("uses", "").split("@")[0] for s in build["steps"]]
    assert used.index("actions/configure-pages") < used.index("actions/upload-pages-artifact")
    assert deploy["needs"] == "build"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}


def test_pages_restores_the_chart_cache_that_only_main_writes():
    pages = load(GITHUB / "workflows" / "pages.yml")
    build_steps = pages["jobs"]["build"]["steps"]
    used = [s.get("uses", "").split("@")[0] for s in build_steps]
    restore, save = build_steps[used.index("actions/cache/restore")], build_steps[used.index("actions/cache/save")]
    builds = [
        i for i, s in enumerate(build_steps) if "generator" in s.get("run", "") or "make site" in s.get("run", "")
    ]
    assert used.index("actions/cache/restore") < min(builds) and used.index("actions/cache/save") > max(builds)
    assert restore["with"]["path"] == save["with"]["path"] == ".generator-cache/charts"
    assert restore["if"] == save["if"] == "github.ref == 'refs/heads/main'"
    assert "actions/cache" not in used  # no combined restore-and-save step that would save on any branch
    text = (GITHUB / "workflows" / "pages.yml").read_text(encoding="utf-8")
    assert "Why a poisoned entry cannot reach the site" in text


def test_pr_comment_never_runs_pull_request_code():
    comment = load(GITHUB / "workflows" / "pr-comment.yml")
    ci = load(GITHUB / "workflows" / "ci.yml")
    assert comment["on"]["workflow_run"]["workflows"] == [ci["name"]]
    assert comment["on"]["workflow_run"]["types"] == ["completed"]
    used = [s.get("uses", "").split("@")[0] for _, s in steps(comment)]
    assert "actions/checkout" not in used and all("run" not in s for _, s in steps(comment))


def run_comment_script(tmp_path: Path, pr_number: str, head_sha: str, existing: list[dict]) -> dict[str, Any]:
    """Run pr-comment.yml's github-script code in node against a fake GitHub API."""
    node = shutil.which("node")
    if node is None:
        if IN_CI:
            pytest.fail("node is needed to test pr-comment.yml's script")
        pytest.skip("node is not installed")
    comment = load(GITHUB / "workflows" / "pr-comment.yml")
    script = next(s["with"]["script"] for _, s in steps(comment) if "github-script" in s.get("uses", ""))
    artifact = tmp_path / "fact-diff"
    artifact.mkdir(parents=True)
    (artifact / "pr-number").write_text(pr_number, encoding="utf-8")
    (artifact / "diff.md").write_text("<!-- ai-infra-facts: fact diff -->\n| fact | cc @octocat |", encoding="utf-8")
    harness = """
    const calls = [], state = JSON.parse(process.env.STATE);
    const core = {setFailed: (m) => calls.push(["failed", m]), notice: (m) => calls.push(["notice", m]),
                  info: () => {}};
    const github = {
      paginate: async (fn, args) => fn(args),
      rest: {
        pulls: {get: async (a) => ({data: {head: {sha: state.head}}})},
        issues: {
          listComments: async () => state.existing,
          createComment: async (a) => { calls.push(["create", a]); return {data: {id: 1}}; },
          updateComment: async (a) => { calls.push(["update", a]); return {data: {}}; },
        },
      },
    };
    const context = {repo: {owner: "o", repo: "r"}, payload: {workflow_run: {id: 42, head_sha: "abc"}}};
    const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
    new AsyncFunction("require", "github", "context", "core", process.env.SCRIPT)(require, github, context, core)
      .then(() => console.log(JSON.stringify(calls)), (e) => console.log(JSON.stringify([["error", String(e)]])));
    """
    env = {
        **os.environ,
        "RUNNER_TEMP": str(tmp_path),
        "SCRIPT": script,
        "STATE": json.dumps({"head": head_sha, "existing": existing}),
    }
    out = subprocess.run([node, "-e", harness], env=env, capture_output=True, text=True, timeout=30, check=True)
    return {"calls": json.loads(out.stdout)}


@pytest.mark.parametrize("number", ["12; rm -rf /", "-1", "0", "1e3", "", "99999999999"])
def test_pr_comment_refuses_a_pr_number_that_is_not_an_integer(tmp_path, number):
    calls = run_comment_script(tmp_path, number, "abc", [])["calls"]
    assert [c[0] for c in calls] == ["failed"]


def test_pr_comment_ignores_a_pr_whose_head_is_not_the_tested_commit(tmp_path):
    calls = run_comment_script(tmp_path, "7\n", "other-sha", [])["calls"]
    assert [c[0] for c in calls] == ["notice"]


def test_pr_comment_creates_one_comment_then_updates_it(tmp_path):
    created = run_comment_script(tmp_path / "a", "7\n", "abc", [])["calls"]
    assert [c[0] for c in created] == ["create"] and created[0][1]["issue_number"] == 7
    body = created[0][1]["body"]
    assert body.startswith("<!-- ai-infra-facts: fact diff -->") and body.count("fact diff -->") == 1
    assert "@octocat" not in body and "@\u200boctocat" in body
    ours = {"id": 5, "user": {"type": "Bot", "login": "github-actions[bot]"}, "body": body}
    theirs = {"id": 6, "user": {"type": "User", "login": "mallory"}, "body": body}
    updated = run_comment_script(tmp_path / "b", "7", "abc", [theirs, ours])["calls"]
    assert [(c[0], c[1]["comment_id"]) for c in updated] == [("update", 5)]


def test_dependabot_watches_actions_and_pip():
    config = yaml.safe_load((GITHUB / "dependabot.yml").read_text(encoding="utf-8"))
    assert {u["package-ecosystem"] for u in config["updates"]} >= {"github-actions", "pip"}


def test_issue_form_keeps_the_fact_id_field_fact_pages_prefill():
    form = yaml.safe_load((GITHUB / "ISSUE_TEMPLATE" / "fact-correction.yml").read_text(encoding="utf-8"))
    ids = [item.get("id") for item in form["body"]]
    assert {"fact-id", "what-is-wrong", "proposed-value", "source", "quote"} <= set(ids)


def test_codeowners_covers_facts_and_generator():
    owned = {
        line.split()[0] for line in (GITHUB / "CODEOWNERS").read_text().splitlines() if line.strip()[:1] not in "#"
    }
    assert {"/facts/", "/generator/"} <= owned


SCHEMAS = [
    ("vendor.github-workflows", [str(p) for p in WORKFLOWS]),
    ("vendor.dependabot", [str(GITHUB / "dependabot.yml")]),
    ("vendor.github-issue-forms", [str(GITHUB / "ISSUE_TEMPLATE" / "fact-correction.yml")]),
    ("vendor.github-issue-config", [str(GITHUB / "ISSUE_TEMPLATE" / "config.yml")]),
    ("vendor.citation-file-format", [str(ROOT / "CITATION.cff")]),
]


@pytest.mark.parametrize(("schema", "files"), SCHEMAS, ids=[s for s, _ in SCHEMAS])
def test_files_match_githubs_schemas_offline(schema, files):
    command = [str(tool("check-jsonschema")), "--builtin-schema", schema, *files]
    result = subprocess.run(command, env=OFFLINE_ENV, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflow_schema_check_rejects_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  j:\n    runs-on: ubuntu-24.04\n    stepz: []\n", encoding="utf-8")
    command = [str(tool("check-jsonschema")), "--builtin-schema", "vendor.github-workflows", str(broken)]
    result = subprocess.run(command, env=OFFLINE_ENV, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "stepz" in result.stdout + result.stderr


def zizmor(*inputs: Path) -> subprocess.CompletedProcess[str]:
    """Run zizmor offline with JSON output on the given inputs."""
    command = [str(tool("zizmor")), "--offline", "--no-progress", "--format", "json", *map(str, inputs)]
    return subprocess.run(command, env=OFFLINE_ENV, capture_output=True, text=True, timeout=300)


def test_zizmor_finds_nothing_in_github_folder():
    result = zizmor(GITHUB, ROOT / ".pre-commit-config.yaml")
    findings = json.loads(result.stdout or "[]")
    summary = [
        f"{loc['symbolic']['key'].get('Local', {}).get('verbatim_path', '?')}:"
        f"{loc['concrete']['location']['start_point']['row'] + 1}: {f['ident']}: {f['desc']}"
        for f in findings
        for loc in f["locations"][:1]
    ]
    assert summary == [], "zizmor findings (run `zizmor --offline .github/` for details)"
    assert result.returncode == 0, result.stderr[-2000:]


def test_zizmor_flags_a_dangerous_workflow(tmp_path):
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "bad.yml").write_text(
        "on: pull_request_target\njobs:\n  j:\n    runs-on: ubuntu-24.04\n    steps:\n"
        "      - uses: actions/checkout@v4\n      - run: echo '${{ github.event.pull_request.title }}'\n",
        encoding="utf-8",
    )
    result = zizmor(workflows / "bad.yml")
    idents = {f["ident"] for f in json.loads(result.stdout)}
    assert {"dangerous-triggers", "template-injection", "unpinned-uses"} <= idents
