"""The few free-text forms that results carry besides field paths, read back and worded in the report's language.

What the network graph lacks to decide (`secassess.graph.phrases`: "controls of the link a -> b", "status of
agency:x/security_device:fw"), values known in part (`secassess.assessment.partial`: "between 0 and 3 (not all
stated)"), paths through the network ("internet → agency:x/zone:lan [acl] → ...") are written in English from
templates. Each template is compiled here into a pattern; a Vietnamese report words a text of a known form in
Vietnamese, keeping the entity ids and codes it holds (they are data), and shows any other text as it is.
A test renders every template and reads it back, so a new form cannot slip into a report untranslated.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache

from secassess.assessment import partial, rules, waivers
from secassess.graph import phrases as graph
from secassess.labels import value_label
from secassess.report.i18n import LocaleFormat
from secassess.scan import model as scan

VI_INPUTS: dict[str, str] = {
    graph.LINK_CONTROLS: "biện pháp kiểm soát trên kết nối {link}",
    graph.LINK_DEVICES: "thiết bị bảo mật trên kết nối {link}",
    graph.STATUS_OF: "trạng thái của {entity}",
    graph.ZONE_OF: "vùng mạng của {entity}",
    graph.MORE: "... và {count} mục khác",
    graph.HOST_ZONES: "vùng mạng đặt các máy của cơ quan",
    graph.SYSTEM_SERVER_ZONES: "vùng mạng đặt các máy chủ của hệ thống",
    graph.INTERNET_LINK: "kết nối để từ Internet truy cập tới các máy chủ của hệ thống",
    graph.ROLE_OF: "vai trò của {entity}",
    graph.ROLE_OR_ZONE_OF: "vai trò hoặc vùng mạng của {entity}",
    graph.DEVICE_STATUS: "trạng thái của {entity}",
    graph.REDUNDANCY_OR_STATUS: "dự phòng hoặc trạng thái của {entity}",
    graph.SERVER_ROLES_ZONES: "vai trò và vùng mạng của các máy chủ của {agency}",
    graph.SERVER_ZONES_OF: "vùng mạng đặt các máy chủ của {agency}",
    graph.MANAGEMENT_ADDRESS: "địa chỉ quản trị (và vùng mạng chứa địa chỉ đó) của {entity}",
}
"""Each thing the graph may lack, in Vietnamese (placeholders hold ids, links and counts, kept as they are)."""
VI_VALUES: dict[str, str] = {
    graph.UNPLACED_SERVERS: "máy chủ chưa khai báo vùng mạng",
    graph.NOT_PLACED: "(máy chủ chưa xác định vùng mạng)",
}
VI_PARTIAL: dict[str, str] = {
    partial.BETWEEN: "từ {low} đến {high} (chưa khai báo đủ)",
    partial.PARTIAL: "[{known}] và có thể cả [{maybe}] (chưa khai báo đủ)",
    partial.UNKNOWN: "chưa xác định được",
    partial.UNKNOWN_OF: "chưa xác định được (chưa khai báo: {missing})",
}
VI_ON_PATH = "{entity} trên đường: {path}"
VI_RULE_ERRORS: dict[str, str] = {
    rules.NO_PROVIDED_FACT: "nguồn dữ kiện {namespace} không cung cấp '{name}' cho đối tượng này",
    rules.CANNOT_COMPARE: "{field}: không so sánh được {value} với {expected}",
    rules.NOT_BOOL: "{field}: cần giá trị có/không, nhưng là {value}",
    rules.NOT_DATE: "{field}: cần một ngày, nhưng là {value}",
    rules.NOT_LIST: "{field}: cần một danh sách, nhưng là {value}",
    rules.DAYS_NOT_NUMBER: "{field}: số ngày {expected} không phải là một số",
    rules.TEXT_CANNOT_CONTAIN: "{field}: giá trị văn bản không thể chứa {expected}",
    rules.REGEX_NEEDS_TEXT: "{field}: mẫu so khớp cần giá trị văn bản, nhưng là {value}",
    rules.RATIO_NOT_NUMBERS: "{field}/{denominator}: không phải là số ({value}, {expected})",
    rules.TYPE_MISMATCH: "{field}: kiểu dữ liệu không phù hợp ({detail})",
}
"""Why a rule could not be evaluated; `field` is named by its label, values keep their written form."""
VI_TYPES = {"str": "văn bản", "int": "số nguyên", "float": "số", "bool": "giá trị có/không", "date": "ngày",
            "list": "danh sách", "dict": "bản ghi", "NoneType": "giá trị rỗng"}
VI_WARNINGS: dict[str, str] = {
    waivers.WAIVER_EXPIRED: "{where}: miễn trừ cho {check} đối với {entity} đã hết hạn {expires}; phát hiện được tính "
                           "là không đạt",
    waivers.WAIVER_UNMATCHED: "{where}: miễn trừ cho {check} đối với {entity} không khớp với tiêu chí và đối tượng nào "
                             "trong bộ quy định {profile}; hãy kiểm tra lại mã tiêu chí và tên đối tượng",
    scan.SCAN_TIME_LIMIT_UNFINISHED: "lần quét đã hết thời gian cho phép ({limit} giây) và nmap đã bị dừng; {count} "
                                     "máy chưa quét xong: {hosts}",
    scan.SCAN_TIME_LIMIT_FINISHED: "lần quét đã hết thời gian cho phép ({limit} giây) và nmap đã bị dừng; mọi máy đã "
                                   "quét xong",
    scan.SCAN_OUTPUT_ENDED: "kết quả của nmap kết thúc sớm nên {count} mục tiêu chưa được quét: {hosts}",
    scan.SCAN_XML_TRUNCATED: "{where}: tệp XML kết thúc trước khi lần quét hoàn tất (lần quét bị gián đoạn?); giữ lại "
                             "{count} máy đã quét xong trước thời điểm đó; các máy sau đó chưa được quét",
    scan.SCAN_NO_RESULT: "{target}: nmap thấy {count} máy đang hoạt động nhưng không trả kết quả quét cho các máy "
                         "này: {hosts}",
    scan.SCAN_EXIT: "{target}: nmap kết thúc với mã lỗi exit={exit}: {message}",
}
"""What the assessment could not do fully, in Vietnamese (ids, file places and nmap's own message kept)."""
VI_HOSTS_MORE = " và {count} máy khác"
INTERNET_NODE = "internet"
"""The graph's node for the Internet (shown "Internet")."""
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
HOP = re.compile(r"^(?P<node>\S+?)(?: \[(?P<controls>[^\]]*)\])?$")


@cache
def pattern(template: str) -> re.Pattern[str]:
    """A template (`"status of {entity}"`) as an anchored pattern with one named group per placeholder."""
    parts = re.split(r"\{(\w+)\}", template)
    return re.compile("^" + "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
                      + "$")


def _match(text: str, table: dict[str, str]) -> tuple[str, dict[str, str]] | None:
    for template in _longest_first(id(table), tuple(table)):
        found = pattern(template).match(text)
        if found is not None:
            return table[template], found.groupdict()
    return None


@cache
def _longest_first(_table: int, templates: tuple[str, ...]) -> tuple[str, ...]:
    """The longest form first, so "x role/zone" is tried before "x role"."""
    return tuple(sorted(templates, key=len, reverse=True))


def split_items(text: str) -> Iterator[str]:
    """`a, b (c, d), [e, f]` -> `a`, `b (c, d)`, `[e, f]`: commas inside brackets do not split."""
    depth, start = 0, 0
    for index, char in enumerate(text):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif char == "," and depth == 0 and text.startswith(", ", index):
            yield text[start:index]
            start = index + 2
    if text[start:]:
        yield text[start:]


class Phrases:
    """Words the forms above for one language (English: as written)."""

    def __init__(self, lang: str, label: Callable[[str], str] | None = None) -> None:
        """`label` names a field path (`servers`, `network.links`) in `lang`, or returns it as it is."""
        self.lang = lang
        self.label = label or (lambda path: path)

    def open_input(self, text: str) -> str:
        """Something to collect: a field path by its label, a form of the graph's in words, else as written."""
        named = self.label(text)
        if named != text or self.lang != "vi":
            return named
        found = _match(text, VI_INPUTS)
        return found[0].format(**found[1]) if found is not None else text

    def value(self, text: str) -> str | None:
        """A value of one of the forms in words (None when it is of none: the caller words it)."""
        if self.lang != "vi":
            return None
        if text in VI_VALUES:
            return VI_VALUES[text]
        found = _match(text, VI_PARTIAL) if text.endswith(" stated)") or text == partial.UNKNOWN else None
        if found is not None:
            template, parts = found
            if "missing" in parts:
                parts["missing"] = ", ".join(self.open_input(item) for item in split_items(parts["missing"]))
            for key in ("known", "maybe"):
                if key in parts:
                    parts[key] = ", ".join(self.value(item) or item for item in split_items(parts[key]))
            for key in ("low", "high"):
                if key in parts and re.fullmatch(r"-?\d+(\.\d+)?", parts[key]):
                    parts[key] = LocaleFormat(self.lang).number(float(parts[key]), 4)
            return template.format(**parts)
        if graph.HOP_ARROW not in text:
            return None
        on = pattern(graph.ON_PATH).match(text)
        if on is not None and graph.HOP_ARROW in on.group("path"):
            return VI_ON_PATH.format(entity=on.group("entity"), path=self.path(on.group("path")))
        return self.path(text)

    def rule_error(self, text: str) -> str:
        """Why a check could not be evaluated (the text of its `error` finding after "cannot evaluate: ")."""
        found = _match(text, VI_RULE_ERRORS) if self.lang == "vi" else None
        if found is None:
            return text
        template, parts = found
        if "field" in parts:
            parts["field"] = self.label(parts["field"])
        for key in ("value", "expected"):
            kind, sep, written = parts.get(key, "").partition(" ")
            if sep and kind in VI_TYPES:
                parts[key] = f"{VI_TYPES[kind]} {written}"
        return template.format(**parts)

    def warning(self, text: str) -> str:
        """One of the assessment's warnings; a scan file's path before it (`scan.xml: ...`) is kept as it is."""
        if self.lang != "vi":
            return text
        for start in (0, *(m.end() for m in re.finditer(": ", text))):
            found = _match(text[start:], VI_WARNINGS)
            if found is None:
                continue
            template, parts = found
            if ISO_DATE.fullmatch(parts.get("expires", "")):
                parts["expires"] = LocaleFormat(self.lang).date(parts["expires"])
            hosts = pattern("{hosts}" + scan.HOSTS_MORE).match(parts.get("hosts", ""))
            if hosts is not None:
                parts["hosts"] = hosts.group("hosts") + VI_HOSTS_MORE.format(count=hosts.group("count"))
            return text[:start] + template.format(**parts)
        return text

    def path(self, text: str) -> str:
        """`internet → agency:x/zone:lan [acl, none] → ...` with the Internet and the link controls in words."""
        hops = []
        for hop in text.split(graph.HOP_ARROW):
            found = HOP.match(hop)
            if found is None:
                hops.append(hop)
                continue
            node = "Internet" if found.group("node") == INTERNET_NODE else found.group("node")
            controls = found.group("controls")
            if controls is not None:
                node += " [" + ", ".join(value_label("LinkControl", c, self.lang) for c in controls.split(", ")) + "]"
            hops.append(node)
        return graph.HOP_ARROW.join(hops)
