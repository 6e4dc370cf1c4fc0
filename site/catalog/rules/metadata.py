"""Catalog vocabulary of 主动公开: validity, 公开属性, genres, 索引号 and the column tree.

The columns follow 国办公开办函〔2019〕61号 (rules.md §3.9): 政府信息公开指南, 政府信息公开制度,
法定主动公开内容 with the items of 条例 Art. 20 as sub-columns, 政府信息公开年报, plus
政策解读 and 工作动态.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from opengov.site.agencies.rules import DEFAULT_INDEX_TEMPLATE


class Validity(StrEnum):
    """有效性 of a document."""

    VALID = "有效"
    EXPIRED = "失效"
    REPEALED = "废止"
    AMENDED = "已修改"


class Disclosure(StrEnum):
    """公开属性 fixed when a document is drafted (rules.md §3.8)."""

    PROACTIVE = "主动公开"
    ON_REQUEST = "依申请公开"
    WITHHELD = "不予公开"


class PublicationStatus(StrEnum):
    """Where a document stands between drafting and the public site."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


#: 体裁 / 公文种类 offered by the editor; Table 二 of the annual report counts 规章 and
#: 行政规范性文件.
GENRES: tuple[str, ...] = (
    "规章",
    "行政规范性文件",
    "其他文件",
    "意见",
    "通知",
    "决定",
    "公告",
    "通告",
    "报告",
    "工作要点",
    "工作总结",
    "政策解读",
    "新闻动态",
    "预算",
    "决算",
    "年度报告",
    "指南",
    "制度",
    "法律",
    "行政法规",
    "地方性法规",
    "部门规章",
    "司法解释",
    "宪法",
    "政府工作报告",
    "征集调查",
    "其他",
)

#: Documents that may name the policies they interpret (政策解读): those of this column, or
#: of this genre in any column (e.g. a department's 工作动态).
INTERPRETATION_CATEGORY = "interpretations"
INTERPRETATION_GENRE = "政策解读"


@dataclass(frozen=True)
class Column:
    """A column (栏目) of the 政府信息公开 catalog."""

    slug: str
    name: str
    description: str
    children: tuple[Column, ...] = field(default=())


_ART20 = "《中华人民共和国政府信息公开条例》第二十条"

COLUMNS: tuple[Column, ...] = (
    Column("guide", "政府信息公开指南",
           "政府信息的分类、编排体系、获取方式和政府信息公开工作机构的名称、办公地址、办公时间、"
           "联系电话、传真号码、互联网联系方式（条例第十二条）。"),
    Column("rules", "政府信息公开制度",
           "政府信息公开工作制度、工作要点和有关规定。"),
    Column("statutory", "法定主动公开内容",
           "依照条例第十九条、第二十条、第二十一条应当主动公开的政府信息。",
           (
               Column("policies", "政策文件", f"{_ART20}第（一）项：行政法规、规章和规范性文件。"),
               Column("organisation", "机构职能",
                      f"{_ART20}第（二）项：机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名。"),
               Column("plans", "规划信息",
                      f"{_ART20}第（三）项：国民经济和社会发展规划、专项规划、区域规划及相关政策。"),
               Column("statistics", "统计信息", f"{_ART20}第（四）项：国民经济和社会发展统计信息。"),
               Column("licensing", "行政许可和服务事项",
                      f"{_ART20}第（五）项：办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果。"),
               Column("enforcement", "行政处罚和行政强制",
                      f"{_ART20}第（六）项：实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为"
                      "具有一定社会影响的行政处罚决定。"),
               Column("fiscal", "财政预决算", f"{_ART20}第（七）项：财政预算、决算信息。",
                      (Column("sangong", "“三公”经费",
                              "因公出国（境）费、公务用车购置及运行费、公务接待费的预算和决算。"),)),
               Column("fees", "收费清单", f"{_ART20}第（八）项：行政事业性收费项目及其依据、标准。"),
               Column("procurement", "政府采购",
                      f"{_ART20}第（九）项：政府集中采购项目的目录、标准及实施情况。"),
               Column("projects", "重大建设项目", f"{_ART20}第（十）项：重大建设项目的批准和实施情况。"),
               Column("welfare", "民生保障",
                      f"{_ART20}第（十一）项：扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况。"),
               Column("emergencies", "应急管理",
                      f"{_ART20}第（十二）项：突发公共事件的应急预案、预警信息及应对情况。"),
               Column("inspections", "监督检查",
                      f"{_ART20}第（十三）项：环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况。"),
               Column("civil-service", "公务员招考",
                      f"{_ART20}第（十四）项：公务员招考的职位、名额、报考条件等事项以及录用结果。"),
               Column("other-statutory", "其他法定公开信息",
                      f"{_ART20}第（十五）项：法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息。"),
           )),
    Column("annual-reports", "政府信息公开年报",
           "各机关政府信息公开工作年度报告（条例第四十九条、第五十条）。"),
    Column("interpretations", "政策解读", "对重要政策文件的解读、答记者问和图解。"),
    Column("news", "工作动态", "政务公开和政务服务工作动态、总结和综述。"),
    Column("consultations", "征集调查",
           "公开征求意见的政策文件草案和重大行政决策预公开事项，及其意见采纳情况"
           "（《重大行政决策程序暂行条例》等）。"),
)


#: Columns the site cannot do without: the four first-level columns of 国办公开办函〔2019〕61号,
#: and those other features build on (政策文件, 政策解读, 财政预决算 and its “三公”经费).
#: Administrators rename and describe them but do not retire them.
PROTECTED_COLUMNS = frozenset({"guide", "rules", "statutory", "annual-reports", "policies",
                               "interpretations", "fiscal", "sangong"})

#: What a column is: an ordinary 栏目 (or 子栏目) or a 专栏 for a 重点领域.
COLUMN_KINDS: dict[str, str] = {"column": "栏目", "feature": "专栏"}

_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")


def slug_problem(slug: str) -> str | None:
    """Why ``slug`` cannot name a column's URL, or None. Slugs are lower-case ASCII so that
    addresses stay short and stable; they never change once a column exists."""
    if not _SLUG.match(slug):
        return "网址名只能由小写英文字母、数字和连字符组成（2–40 个字符，不以连字符开头或结尾）。"
    if "--" in slug:
        return "网址名不能含连续的连字符。"
    return None


def iter_columns(columns: tuple[Column, ...] = COLUMNS,
                 parent: Column | None = None) -> list[tuple[Column, Column | None]]:
    """Every column with its parent, parents first."""
    result: list[tuple[Column, Column | None]] = []
    for column in columns:
        result.append((column, parent))
        result.extend(iter_columns(column.children, column))
    return result


# --- 主题分类 (rules.md §3.7) -------------------------------------------------------------

TOPIC_TREE: dict[str, tuple[str, ...]] = {
    "国务院组织机构": ("国务院", "国务院办公厅", "国务院组成部门", "国务院直属特设机构", "国务院直属机构",
                "国务院办事机构", "国务院直属事业单位", "国务院部委管理的国家局", "国务院议事协调机构", "其他"),
    "综合政务": ("政务公开", "政务督查", "应急管理", "电子政务", "文秘工作", "保密工作", "信访",
             "参事、文史", "其他"),
    "国民经济管理、国有资产监管": ("宏观经济", "经济体制改革", "统计", "物价", "国有资产监管",
                      "重大建设项目", "其他"),
    "财政、金融、审计": ("财政", "税务", "银行", "货币（含外汇）", "证券", "保险", "社会信用体系建设",
                  "审计", "其他"),
    "国土资源、能源": ("土地", "矿产", "水资源", "海洋", "煤炭", "石油与天然气", "电力", "其他"),
    "农业、林业、水利": ("农业、畜牧业、渔业", "林业", "水利", "其他"),
    "工业、交通": ("机械制造与重工业", "轻工纺织", "化工", "国防工业", "航天、航空", "信息产业（含电信）",
              "公路", "水运", "铁路", "民航", "邮政", "其他"),
    "商贸、海关、旅游": ("对外经贸合作", "国内贸易（含供销）", "海关", "检验、检疫", "旅游", "其他"),
    "市场监管、安全生产监管": ("工商", "质量监督", "标准", "食品药品监管", "安全生产监管", "其他"),
    "城乡建设、环境保护": ("城市规划", "城乡建设（含住房）", "环境监测、保护与治理", "节能与资源综合利用",
                   "气象、水文、测绘、地震", "其他"),
    "科技、教育": ("科技", "教育", "知识产权", "其他"),
    "文化、广电、新闻出版": ("文化", "文物", "新闻出版", "广播、电影、电视", "其他"),
    "卫生、体育": ("卫生", "医药管理", "体育", "其他"),
    "人口与计划生育、妇女儿童工作": ("人口与计划生育", "妇女儿童", "其他"),
    "劳动、人事、监察": ("劳动就业", "社会保障", "人事工作", "军转安置", "监察", "纠正行业不正之风", "其他"),
    "公安、安全、司法": ("公安", "国家安全", "司法", "其他"),
    "民政、扶贫、救灾": ("减灾救灾", "优抚安置", "社会福利", "行政区划与地名", "社团管理", "扶贫", "其他"),
    "民族、宗教": ("民族事务", "宗教事务"),
    "对外事务": ("外交、外事", "国际条约、国际组织", "其他"),
    "港澳台侨工作": ("港澳工作", "对台工作", "侨务工作"),
    "国防": ("国防建设", "国防动员"),
    "其他": (),
}

TOPIC_SEPARATOR = "\\"


def is_valid_topic(topic: str) -> bool:
    """True for ``top`` or ``top\\child`` of the gov.cn tree; labels contain 、 and （）."""
    top, sep, child = topic.partition(TOPIC_SEPARATOR)
    if top not in TOPIC_TREE:
        return False
    if not sep:
        return True
    return child in TOPIC_TREE[top]


def topic_choices() -> list[str]:
    """Every valid topic, top levels followed by their children."""
    choices: list[str] = []
    for top, children in TOPIC_TREE.items():
        choices.append(top)
        choices.extend(f"{top}{TOPIC_SEPARATOR}{child}" for child in children)
    return choices


# --- 索引号 (rules.md §3.6) ---------------------------------------------------------------

_INDEX_NO = re.compile(r"^(?P<org>[0-9A-Za-z-]+)/(?P<year>\d{4})-(?P<serial>\d{5})$")


def format_index_no(org_code: str, year: int, serial: int,
                    template: str = DEFAULT_INDEX_TEMPLATE) -> str:
    """The 索引号 of the ``serial``-th document of ``year`` of an agency."""
    if serial < 1 or serial > 99999:
        raise ValueError(f"索引号序号超出范围：{serial}")
    return template.format(org_code=org_code, year=year, serial=serial)


def parse_index_no(index_no: str) -> tuple[str, int, int]:
    """``(org_code, year, serial)`` of a 索引号 in the default format; ValueError otherwise."""
    match = _INDEX_NO.match(index_no)
    if match is None:
        raise ValueError(f"索引号格式应为“机构代码/年份-五位序号”，收到：{index_no}")
    return match["org"], int(match["year"]), int(match["serial"])


# --- 发文字号 ----------------------------------------------------------------------------

_DOC_NUMBER = re.compile(r"^\S*?〔(?P<year>\d{4})〕(?P<serial>\d+)号$|^\S+第\d+号$|^\S+令第\d+号$")


def is_valid_doc_number(doc_number: str) -> bool:
    """发文字号 like 中办发〔2011〕22号, 国务院令第711号 or 公告第3号 (brackets 〔〕)."""
    return bool(_DOC_NUMBER.match(doc_number.strip()))
