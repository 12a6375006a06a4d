"""Every public write service records what it did in the audit log.

The services are found, not listed: every public function taking an `actor` in a module that
writes (services, payments, batches, documents, workforce). Each must reach an audit call, itself
or through the functions it calls (followed by name across the project), so a new write service
that forgets the audit log fails here. Behaviour is tested beside each service; this is the net.
"""

from __future__ import annotations

import ast
from pathlib import Path

import lindung

ROOT = Path(lindung.__file__).parent
WRITE_MODULES = ("services.py", "payments.py", "batches.py", "documents.py", "workforce.py")
AUDIT_CALLS = {"audit_record", "audit_record_many", "audit_personal_data_viewed"}
# Public functions with an actor that only check (they raise or return, and write nothing).
NOT_WRITES = {"require_payer", "may_record", "keeps_contact"}


Key = tuple[str, str]  # (module path relative to lindung, function name)


def _modules() -> dict[str, ast.Module]:
    return {
        str(path.relative_to(ROOT)): ast.parse(path.read_text())
        for path in ROOT.rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
    }


def _imported_names(module: ast.Module) -> set[str]:
    return {
        alias.asname or alias.name
        for node in ast.walk(module)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }


def _calls(function: ast.FunctionDef) -> set[tuple[str | None, str]]:
    """(object, name) of each call: (None, "f") for f(...), ("ledger", "g") for ledger.g(...)."""
    found: set[tuple[str | None, str]] = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Call):
            target = node.func
            if isinstance(target, ast.Name):
                found.add((None, target.id))
            elif isinstance(target, ast.Attribute):
                base = target.value.id if isinstance(target.value, ast.Name) else ""
                found.add((base, target.attr))
    return found


def _graph() -> tuple[dict[Key, set[Key]], set[Key]]:
    """Each function's callees among the project's functions, resolved the way Python would:
    a plain name in its own module or imported by that name; `module.f` in a module of that name.
    Calls to the audit functions are kept apart as the targets."""
    modules = _modules()
    defined: dict[str, list[Key]] = {}
    bodies: dict[Key, ast.FunctionDef] = {}
    for module_path, module in modules.items():
        for node in ast.walk(module):
            if isinstance(node, ast.FunctionDef):
                key = (module_path, node.name)
                defined.setdefault(node.name, []).append(key)
                bodies[key] = node
    graph: dict[Key, set[Key]] = {}
    direct: set[Key] = set()
    for key, body in bodies.items():
        module_path = key[0]
        imported = _imported_names(modules[module_path])
        callees: set[Key] = set()
        for base, name in _calls(body):
            if name in AUDIT_CALLS:
                direct.add(key)
            for candidate in defined.get(name, []):
                same_module = candidate[0] == module_path
                by_import = base is None and name in imported
                by_module = base is not None and Path(candidate[0]).stem == base
                if (base is None and same_module) or by_import or by_module or (base == "self" and same_module):
                    callees.add(candidate)
        graph[key] = callees
    return graph, direct


def _auditing() -> set[Key]:
    """Functions that reach an audit call (a fixed point over the call graph)."""
    graph, auditing = _graph()
    while True:
        more = {key for key, callees in graph.items() if key not in auditing and callees & auditing}
        if not more:
            return auditing
        auditing |= more


def _write_services() -> list[tuple[str, str]]:
    services = []
    for name in WRITE_MODULES:
        for path in sorted(ROOT.glob(f"*/{name}")):
            for node in ast.parse(path.read_text()).body:
                if not isinstance(node, ast.FunctionDef) or node.name.startswith("_") or node.name in NOT_WRITES:
                    continue
                arguments = {argument.arg for argument in node.args.args + node.args.kwonlyargs}
                if "actor" in arguments:
                    services.append((str(path.relative_to(ROOT)), node.name))
    return services


def test_the_write_services_are_found():
    found = {name for _module, name in _write_services()}
    assert {"member_enrol", "payment_record", "import_upload", "import_confirm", "heirs_set"} <= found
    assert len(found) >= 30


def test_every_write_service_reaches_the_audit_log():
    auditing = _auditing()
    silent = [f"{module}:{name}" for module, name in _write_services() if (module, name) not in auditing]
    assert silent == []
