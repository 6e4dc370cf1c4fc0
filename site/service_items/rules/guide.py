"""The 办事指南 of a 政务服务事项 as plain data (rules.md §8.2): what staff edit, what an import
reads, what a version keeps, what the public page, the printed checklist and the API show.

中办发〔2011〕22号 §13 wants every item published with "办理主体、办理依据、办理条件、办理程序、办理时限、
办理结果、收费标准和监督渠道"; provincial 政务服务网 pages add the materials checklist, the
number of visits, the online link and the place and hours. The vocabularies below are common
practice (rules.md: confirm), kept as data so a province's own lists can replace them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields, replace
from enum import StrEnum
from typing import Any


class ItemType(StrEnum):
    """事项类型 (rules.md §8.2)."""

    LICENSING = "行政许可"
    PAYMENT = "行政给付"
    CONFIRMATION = "行政确认"
    ADJUDICATION = "行政裁决"
    REWARD = "行政奖励"
    OTHER_POWER = "其他行政权力"
    PUBLIC_SERVICE = "公共服务"


class Target(StrEnum):
    """服务对象: a person or a company (and other organisations)."""

    PERSON = "自然人"
    ORGANISATION = "法人"


#: Life events (自然人) and business events (法人) people browse by (rules.md §8.2, confirm).
PERSON_THEMES: tuple[str, ...] = (
    "生育收养", "户籍办理", "婚姻登记", "教育科研", "就业创业", "社会保障", "社会救助", "住房保障",
    "医疗卫生", "交通出行", "证件办理", "离职退休", "死亡殡葬",
)
ORGANISATION_THEMES: tuple[str, ...] = (
    "设立变更", "准营准办", "资质认证", "税收财务", "人力资源", "投资审批", "工程建设", "破产注销",
)
THEMES_BY_TARGET: dict[Target, tuple[str, ...]] = {
    Target.PERSON: PERSON_THEMES, Target.ORGANISATION: ORGANISATION_THEMES}
ALL_THEMES: tuple[str, ...] = PERSON_THEMES + ORGANISATION_THEMES


class MaterialForm(StrEnum):
    """材料形式."""

    ORIGINAL = "原件"
    COPY = "复印件"
    BOTH = "原件和复印件"


class Medium(StrEnum):
    """材料类型: on paper, electronic, or either."""

    PAPER = "纸质"
    ELECTRONIC = "电子"
    EITHER = "纸质或电子"


class Necessity(StrEnum):
    """必需 / 容缺 (may be handed in later: 容缺受理) / needed in some cases only."""

    REQUIRED = "必需"
    WAIVABLE = "容缺"
    CONDITIONAL = "视情形提交"


class OnlineDepth(StrEnum):
    """网上办理深度, from information only to 全程网办 (common practice, confirm)."""

    NONE = "不支持网上办理"
    BOOKING = "网上预约"
    PRE_CHECK = "网上预审"
    FULL = "全程网办"


#: 来源渠道 offered in the editor; any other text is accepted too.
SOURCES: tuple[str, ...] = ("申请人自备", "政府部门核发", "其他机构出具", "窗口现场填写")
#: 送达方式 offered in the editor.
DELIVERIES: tuple[str, ...] = ("窗口领取", "邮政寄递", "电子证照", "当场发放", "网上自行下载")

#: The largest time limit and number of visits accepted: anything longer is a typo.
MAX_DAYS = 365
MAX_VISITS = 10
MAX_COPIES = 99


@dataclass(frozen=True)
class LegalBasis:
    """设定依据: a law or regulation by its title (without 《》) and the articles cited."""

    law: str
    articles: str = ""

    def __str__(self) -> str:
        return f"《{self.law}》{self.articles}"


@dataclass(frozen=True)
class Material:
    """One line of the 申请材料 checklist; ``blank_form`` and ``sample`` are ids of files
    uploaded to the item (空白表格, 示例样表)."""

    name: str
    copies: int = 1
    form: MaterialForm = MaterialForm.ORIGINAL
    medium: Medium = Medium.PAPER
    source: str = "申请人自备"
    necessity: Necessity = Necessity.REQUIRED
    note: str = ""
    blank_form: int | None = None
    sample: int | None = None


@dataclass(frozen=True)
class Step:
    """A step of 办理流程: who does what."""

    name: str
    description: str = ""


@dataclass(frozen=True)
class Question:
    """常见问题."""

    question: str
    answer: str


_DATACLASSES: dict[str, type[Any]] = {
    "basis": LegalBasis, "materials": Material, "steps": Step, "faq": Question}
_ENUMS: dict[str, type[StrEnum]] = {
    "item_type": ItemType, "form": MaterialForm, "medium": Medium, "necessity": Necessity,
    "online_depth": OnlineDepth}


@dataclass(frozen=True)
class ItemGuide:
    """Everything the 办事指南 of one item says, as of one version."""

    name: str
    item_type: ItemType
    targets: tuple[Target, ...] = (Target.PERSON,)
    themes: tuple[str, ...] = ()
    #: 承办机构 inside the agency (e.g. 婚姻登记处); the agency itself is the 实施主体.
    handling_unit: str = ""
    summary: str = ""
    basis: tuple[LegalBasis, ...] = ()
    #: 受理条件, Markdown.
    conditions: str = ""
    materials: tuple[Material, ...] = ()
    steps: tuple[Step, ...] = ()
    #: 法定办结时限 in working days; None when no law sets one.
    legal_limit_days: int | None = None
    #: 承诺办结时限 in working days; 0 is 即办 (done on the spot).
    promised_limit_days: int = 0
    limit_note: str = ""
    charged: bool = False
    fee_standard: str = ""
    fee_basis: str = ""
    #: 到办事现场次数.
    visits: int = 1
    location: str = ""
    hours: str = ""
    phone: str = ""
    online_url: str = ""
    online_depth: OnlineDepth = OnlineDepth.NONE
    #: 办理结果: the name of the licence or certificate (证照名称) or other result.
    result_name: str = ""
    delivery: str = ""
    consult: str = ""
    complaint: str = ""
    #: Names people use for the item (开饭店 for 食品经营许可): searched, not shown.
    aliases: tuple[str, ...] = ()
    faq: tuple[Question, ...] = ()
    #: Demonstration data (示例), marked on every page that shows it.
    is_example: bool = False

    # --- what the pages show ------------------------------------------------------------

    @property
    def is_on_the_spot(self) -> bool:
        """即办件 (done at once) rather than 承诺件."""
        return self.promised_limit_days == 0

    @property
    def handling_kind(self) -> str:
        return "即办件" if self.is_on_the_spot else "承诺件"

    @property
    def promised_label(self) -> str:
        return "即办" if self.is_on_the_spot else f"{self.promised_limit_days}个工作日"

    @property
    def legal_label(self) -> str:
        if self.legal_limit_days is None:
            # Some laws set a period in calendar days (收养登记: 30日): the note says which.
            return "见时限说明" if self.limit_note else "法律法规未规定"
        return "即办" if self.legal_limit_days == 0 else f"{self.legal_limit_days}个工作日"

    @property
    def visits_label(self) -> str:
        return visits_label(self.visits)

    @property
    def targets_label(self) -> str:
        return "、".join(target.value for target in self.targets)

    @property
    def file_ids(self) -> frozenset[int]:
        """The files (blank forms, samples) this version of the guide offers."""
        ids = {material.blank_form for material in self.materials}
        ids |= {material.sample for material in self.materials}
        return frozenset(file_id for file_id in ids if file_id is not None)

    # --- storage -----------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form (enums as their values) for a stored version."""
        data: dict[str, Any] = asdict(self)
        return plain(data)  # type: ignore[no-any-return]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ItemGuide:
        """The guide of a stored version; keys a later version of the site added take their
        defaults, keys it dropped are ignored."""
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, raw in data.items():
            if key not in known:
                continue
            if key in _DATACLASSES:
                values[key] = tuple(_build(_DATACLASSES[key], item) for item in raw or ())
            elif key == "targets":
                values[key] = tuple(Target(value) for value in raw or ())
            elif key in ("themes", "aliases"):
                values[key] = tuple(str(value) for value in raw or ())
            elif key in _ENUMS:
                values[key] = _ENUMS[key](raw)
            else:
                values[key] = raw
        return cls(**values)

    def with_files(self, mapping: Mapping[int, int]) -> ItemGuide:
        """The guide with its file ids replaced through ``mapping`` (an imported copy)."""
        return replace(self, materials=tuple(
            replace(material,
                    blank_form=mapping.get(material.blank_form) if material.blank_form else None,
                    sample=mapping.get(material.sample) if material.sample else None)
            for material in self.materials))


def _build(kind: type[Any], raw: Mapping[str, Any]) -> Any:
    known = {f.name for f in fields(kind)}
    values = {key: (_ENUMS[key](value) if key in _ENUMS and value is not None else value)
              for key, value in raw.items() if key in known}
    return kind(**values)


def plain(value: Any) -> Any:
    """``value`` as JSON holds it: enums by value, tuples as lists (so that a stored content
    compares equal to the one it was made from)."""
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def visits_label(visits: int) -> str:
    """到办事现场次数 as portals say it: 零跑动, 最多跑一次, or the number."""
    if visits == 0:
        return "零跑动（全程网上办理）"
    if visits == 1:
        return "最多跑一次"
    return f"{visits}次"


# --- checks --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldProblem:
    """A rule the guide breaks: ``field`` names the attribute (``materials.2.name`` for the
    name of the third material), ``message`` says what to do, in Chinese."""

    field: str
    message: str


_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def check_guide(guide: ItemGuide) -> list[FieldProblem]:
    """Every rule ``guide`` breaks; an empty list means it may be saved and published."""
    problems: list[FieldProblem] = []

    def refuse(name: str, message: str) -> None:
        problems.append(FieldProblem(name, message))

    if not guide.name.strip():
        refuse("name", "请填写事项名称。")
    elif len(guide.name) > 200:
        refuse("name", "事项名称不能超过200个字。")
    if not guide.targets:
        refuse("targets", "请至少选择一个服务对象（自然人或法人）。")
    allowed = {theme for target in guide.targets for theme in THEMES_BY_TARGET[target]}
    unknown = [theme for theme in guide.themes if theme not in ALL_THEMES]
    if unknown:
        refuse("themes", f"未知的主题：{'、'.join(unknown)}。可选：{'、'.join(ALL_THEMES)}。")
    elif any(theme not in allowed for theme in guide.themes):
        wrong = [theme for theme in guide.themes if theme not in allowed]
        refuse("themes", f"主题“{'、'.join(wrong)}”与服务对象（{guide.targets_label}）不符。")
    if not guide.basis:
        refuse("basis", "请填写至少一项设定依据（法律法规名称和条款）。")
    for index, basis in enumerate(guide.basis):
        if not basis.law.strip() or "《" in basis.law or "》" in basis.law:
            refuse(f"basis.{index}", "设定依据应写法律法规的名称（不带书名号）和条款。")
    if not guide.materials:
        refuse("materials", "请至少列出一项申请材料（不需要材料的写“无需提交材料”）。")
    for index, material in enumerate(guide.materials):
        if not material.name.strip():
            refuse(f"materials.{index}.name", f"第{index + 1}项材料没有名称。")
        if not 0 <= material.copies <= MAX_COPIES:
            refuse(f"materials.{index}.copies",
                   f"第{index + 1}项材料的份数应在0至{MAX_COPIES}之间。")
    if not guide.steps:
        refuse("steps", "请至少写明一个办理步骤。")
    for index, step in enumerate(guide.steps):
        if not step.name.strip():
            refuse(f"steps.{index}.name", f"第{index + 1}个办理步骤没有名称。")
    if guide.legal_limit_days is not None and not 0 <= guide.legal_limit_days <= MAX_DAYS:
        refuse("legal_limit_days", f"法定办结时限应为0至{MAX_DAYS}个工作日。")
    if not 0 <= guide.promised_limit_days <= MAX_DAYS:
        refuse("promised_limit_days", f"承诺办结时限应为0至{MAX_DAYS}个工作日（即办件填0）。")
    elif guide.legal_limit_days is not None \
            and guide.promised_limit_days > guide.legal_limit_days:
        refuse("promised_limit_days",
               f"承诺办结时限（{guide.promised_limit_days}个工作日）不能长于法定办结时限"
               f"（{guide.legal_limit_days}个工作日）。")
    if not 0 <= guide.visits <= MAX_VISITS:
        refuse("visits", f"到办事现场次数应为0至{MAX_VISITS}次。")
    if guide.visits == 0 and guide.online_depth is not OnlineDepth.FULL:
        refuse("visits", "零跑动的事项应支持全程网办（网上办理深度选“全程网办”）。")
    if guide.charged and not guide.fee_standard.strip():
        refuse("fee_standard", "收费的事项必须写明收费标准。")
    if guide.charged and not guide.fee_basis.strip():
        refuse("fee_basis", "收费的事项必须写明收费依据。")
    if guide.online_url and not _URL.match(guide.online_url):
        refuse("online_url", "网上办理地址应为以 http:// 或 https:// 开头的网址。")
    if guide.online_depth is not OnlineDepth.NONE and not guide.online_url:
        refuse("online_url", "支持网上办理的事项请填写网上办理地址。")
    if not guide.location.strip() and guide.visits > 0:
        refuse("location", "需要到现场办理的事项请填写办理地点。")
    for index, question in enumerate(guide.faq):
        if not question.question.strip() or not question.answer.strip():
            refuse(f"faq.{index}", f"第{index + 1}个常见问题的问题和解答都要填写。")
    return problems


# --- parsing what people type ------------------------------------------------------------

_BASIS = re.compile(r"《([^《》]+)》([^《》；;\n]*)")


def parse_basis(text: str) -> tuple[LegalBasis, ...]:
    """设定依据 as written on provincial sheets: “《婚姻登记条例》第四条、第五条；《…》第…条”."""
    found = []
    for match in _BASIS.finditer(text):
        articles = match.group(2).strip(" ，,、。；;")
        found.append(LegalBasis(match.group(1).strip(), articles))
    return tuple(found)


def format_basis(basis: Iterable[LegalBasis]) -> str:
    return "；".join(str(item) for item in basis)


def split_list(text: str) -> tuple[str, ...]:
    """Items separated by 、，, ； or new lines, trimmed, empty ones dropped."""
    return tuple(part.strip() for part in re.split(r"[、，,；;\n]+", text) if part.strip())


_STEP_NUMBER = re.compile(r"^\s*(?:第?[0-9一二三四五六七八九十]+[步、.．)）:：]|[（(][0-9一二三四五六七八九十]+[)）])\s*")


def parse_steps(text: str) -> tuple[Step, ...]:
    """办理流程 written one step a line (or separated by ；), numbers optional; a step's
    name is what comes before its first “：”."""
    steps = []
    for line in re.split(r"[\n；;]+", text):
        line = _STEP_NUMBER.sub("", line).strip()
        if not line:
            continue
        name, _sep, description = re.sub(r"[:：]", "：", line, count=1).partition("：")
        steps.append(Step(name.strip(), description.strip()))
    return tuple(steps)


def format_steps(steps: Sequence[Step]) -> str:
    return "\n".join(f"{step.name}：{step.description}" if step.description else step.name
                     for step in steps)


#: Cell values accepted as 即办 for a time limit.
ON_THE_SPOT_WORDS = frozenset({"即办", "当场办结", "当场", "即时办结"})
_DAYS = re.compile(r"^(\d{1,3})(?:\.0+)?\s*(?:个)?(?:工作日)?$")


def parse_workdays(raw: object) -> int:
    """A time limit as a number of working days: an integer (``20``, ``20.0``, “20个工作日”)
    or 即办 (0). ``ValueError`` with a Chinese message for anything else (“3天” might be
    calendar days, “三个工作日” is not a number)."""
    if isinstance(raw, bool):
        raise ValueError("应填写工作日数")
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float) and raw.is_integer():
        value = int(raw)
    else:
        text = str(raw).strip()
        if text in ON_THE_SPOT_WORDS:
            return 0
        match = _DAYS.match(text)
        if match is None:
            raise ValueError(f"“{text}”不是工作日数：请填写整数个工作日（如 20），即办件填 0")
        value = int(match.group(1))
    if not 0 <= value <= MAX_DAYS:
        raise ValueError(f"{value}超出范围：时限应为0至{MAX_DAYS}个工作日")
    return value


def item_search_text(guide: ItemGuide) -> str:
    """The body the site search indexes for an item: everything a person might look for,
    in reading order (no personal data: a guide has none)."""
    parts: list[str] = [guide.summary, guide.conditions]
    parts += [f"申请材料：{material.name}。{material.note}" for material in guide.materials]
    parts += [f"办理流程：{step.name}。{step.description}" for step in guide.steps]
    parts += [f"{question.question} {question.answer}" for question in guide.faq]
    parts += [f"办理结果：{guide.result_name}", f"办理地点：{guide.location}",
              f"收费：{guide.fee_standard if guide.charged else '不收费'}"]
    return "\n".join(part for part in parts if part.strip())

