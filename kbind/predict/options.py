"""The bindgen options that change which items exist and how they look."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kbind.predict.versions import DEFAULT, Behaviour, BindgenVersion


@dataclass(frozen=True)
class BindgenOptions:
    """Regex lists as given to bindgen (`--opaque-type`, `--blocklist-*`)."""

    opaque_types: tuple[str, ...] = ()
    blocklist_types: tuple[str, ...] = ()
    blocklist_functions: tuple[str, ...] = ()
    blocklist_items: tuple[str, ...] = ()
    blocklist_vars: tuple[str, ...] = ()
    # The bindgen release predicted, with the options that change its defaults.
    behaviour: Behaviour = field(default_factory=lambda: Behaviour(DEFAULT))
    _compiled: dict[str, re.Pattern[str] | None] = field(
        default_factory=dict, compare=False, repr=False)

    def _matcher(self, key: str) -> re.Pattern[str] | None:
        if key not in self._compiled:
            patterns: tuple[str, ...] = getattr(self, key)
            # bindgen anchors each regex and matches the item's whole name.
            self._compiled[key] = re.compile(
                "|".join(f"(?:^(?:{p})$)" for p in patterns)) if patterns else None
        return self._compiled[key]

    def _matches(self, key: str, name: str) -> bool:
        matcher = self._matcher(key)
        return bool(matcher and matcher.match(name))

    def is_opaque(self, name: str) -> bool:
        return self._matches("opaque_types", name)

    def blocks_type(self, name: str) -> bool:
        return self._matches("blocklist_types", name) or self._matches("blocklist_items", name)

    def blocks_function(self, name: str) -> bool:
        return self._matches("blocklist_functions", name) or self._matches(
            "blocklist_items", name)

    def blocks_var(self, name: str) -> bool:
        return self._matches("blocklist_vars", name) or self._matches("blocklist_items", name)

    @classmethod
    def from_argv(cls, argv: list[str] | tuple[str, ...],
                  version: BindgenVersion = DEFAULT) -> BindgenOptions:
        """Read the options kbind models from a bindgen argument list, for the
        bindgen release `version`."""
        keys = {"--opaque-type": "opaque_types", "--blocklist-type": "blocklist_types",
                "--blocklist-function": "blocklist_functions",
                "--blocklist-item": "blocklist_items", "--blocklist-var": "blocklist_vars"}
        found: dict[str, list[str]] = {v: [] for v in keys.values()}
        it = iter(argv)
        for arg in it:
            if arg in keys:
                value = next(it, None)
                if value is not None:
                    found[keys[arg]].append(value.strip("'\""))
            elif "=" in arg and arg.split("=", 1)[0] in keys:
                flag, value = arg.split("=", 1)
                found[keys[flag]].append(value.strip("'\""))
        size_t = None
        if "--size_t-is-usize" in argv:
            size_t = True
        if "--no-size_t-is-usize" in argv:
            size_t = False
        return cls(**{k: tuple(v) for k, v in found.items()},
                   behaviour=Behaviour(version, size_t))
