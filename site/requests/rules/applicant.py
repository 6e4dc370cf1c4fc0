"""Who may apply and how (条例 Art. 29, rules.md §1.1): applicant kinds, identity documents
with their check digits, and the form and way of delivery."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum


class ApplicantKind(StrEnum):
    PERSON = "自然人"
    ORGANISATION = "法人或其他组织"


class OrgType(StrEnum):
    """The five 法人或其他组织 columns of Table 三."""

    BUSINESS = "商业企业"
    RESEARCH = "科研机构"
    NONPROFIT = "社会公益组织"
    LEGAL_SERVICE = "法律服务机构"
    OTHER = "其他"


class IdType(StrEnum):
    RESIDENT_ID = "居民身份证"
    PASSPORT = "护照"
    HK_MACAO_TAIWAN = "港澳台居民居住证或通行证"
    OTHER_PERSONAL = "其他有效身份证件"
    USCC = "统一社会信用代码"


PERSON_ID_TYPES = (IdType.RESIDENT_ID, IdType.PASSPORT, IdType.HK_MACAO_TAIWAN,
                   IdType.OTHER_PERSONAL)


class Carrier(StrEnum):
    """获取信息的载体形式."""

    PAPER = "纸质"
    ELECTRONIC = "电子"


class Delivery(StrEnum):
    """获取信息的方式、途径."""

    POST = "邮寄"
    EMAIL = "电子邮件"
    PICK_UP = "自行领取"
    ON_SITE = "当场阅读、抄录"
    ONLINE = "网上查看下载"


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def resident_id_error(value: str) -> str | None:
    """Why ``value`` is not a valid 18-digit 居民身份证号码 (GB 11643-1999), or None."""
    value = value.strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", value):
        return "居民身份证号码应为18位，前17位为数字，最后一位为数字或X。"
    try:
        dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return "居民身份证号码中的出生日期无效。"
    total = sum(int(digit) * weight for digit, weight in zip(value[:17], _ID_WEIGHTS,
                                                              strict=True))
    if _ID_CHECK[total % 11] != value[17]:
        return "居民身份证号码校验位不正确，请核对。"
    return None


_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_char(first17: str) -> str:
    total = sum(_USCC_CHARS.index(char) * weight
                for char, weight in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]


def uscc_error(value: str) -> str | None:
    """Why ``value`` is not a valid 统一社会信用代码 (GB 32100-2015), or None."""
    value = value.strip().upper()
    if len(value) != 18 or any(char not in _USCC_CHARS for char in value):
        return "统一社会信用代码应为18位数字或大写字母（不含I、O、Z、S、V）。"
    if uscc_check_char(value[:17]) != value[17]:
        return "统一社会信用代码校验位不正确，请核对。"
    return None


def id_number_error(id_type: str, value: str) -> str | None:
    """Why the identity number does not fit its type, or None."""
    if not value.strip():
        return "请填写证件号码。"
    if id_type == IdType.RESIDENT_ID:
        return resident_id_error(value)
    if id_type == IdType.USCC:
        return uscc_error(value)
    if len(value.strip()) > 40:
        return "证件号码过长。"
    return None

