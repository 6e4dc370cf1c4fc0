"""Fiscal test data: a consistent 预算 with tables 1, 5, 6 and 7."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from opengov.site.fiscal.rules.disclosures import (
    DisclosureData,
    Row,
    SangongEntry,
    SangongItem,
    Stage,
)


def amounts(*values: str | None) -> tuple[Decimal | None, ...]:
    return tuple(None if value is None else Decimal(value) for value in values)


def sample_data(year: int = 2025, *, reception: str = "1.00", prior: str | None = "0.50",
                approved_on: dt.date = dt.date(2025, 2, 10),
                published_on: dt.date | None = dt.date(2025, 2, 25),
                stage: Stage = Stage.BUDGET) -> DisclosureData:
    data = DisclosureData(year=year, stage=stage, approved_on=approved_on,
                          published_on=published_on,
                          narrative="## 一、部门职责\n\n负责全市财政收支管理。")
    data.tables[1] = [
        Row("一般公共预算拨款收入", amounts("150.00"), side="收入"),
        Row("收入总计", amounts("150.00"), side="收入"),
        Row("一般公共服务支出", amounts("120.00"), side="支出"),
        Row("住房保障支出", amounts("30.00"), side="支出"),
        Row("支出总计", amounts("150.00"), side="支出"),
    ]
    data.tables[5] = [
        Row("合计", amounts("150.00", "100.00", "50.00")),
        Row("一般公共服务支出", amounts("120.00", "80.00", "40.00"), code="201"),
        Row("财政事务", amounts("120.00", "80.00", "40.00"), code="20106"),
        Row("行政运行", amounts("80.00", "80.00", None), code="2010601"),
        Row("一般行政管理事务", amounts("40.00", None, "40.00"), code="2010602"),
        Row("住房保障支出", amounts("30.00", "20.00", "10.00"), code="221"),
        Row("住房改革支出", amounts("30.00", "20.00", "10.00"), code="22102"),
        Row("住房公积金", amounts("30.00", "20.00", "10.00"), code="2210201"),
    ]
    data.tables[6] = [
        Row("合计", amounts("100.00", "90.00", "10.00")),
        Row("工资福利支出", amounts("90.00", "90.00", None), code="301"),
        Row("基本工资", amounts("90.00", "90.00", None), code="30101"),
        Row("商品和服务支出", amounts("10.00", None, "10.00"), code="302"),
        Row("公务接待费", amounts("10.00", None, "10.00"), code="30217"),
    ]
    data.sangong = {
        SangongItem.OUTBOUND: SangongEntry(SangongItem.OUTBOUND, Decimal("0.00"), Decimal("0.00")),
        SangongItem.VEHICLE_PURCHASE: SangongEntry(SangongItem.VEHICLE_PURCHASE, Decimal("0.00"),
                                                   Decimal("25.00")),
        SangongItem.VEHICLE_OPERATION: SangongEntry(SangongItem.VEHICLE_OPERATION,
                                                    Decimal("6.00"), Decimal("6.50")),
        SangongItem.RECEPTION: SangongEntry(
            SangongItem.RECEPTION, Decimal(reception), None if prior is None else Decimal(prior),
            explanation="公务接待费比上年增加0.5万元，增长100%，主要原因是承办全省财政工作会议。"),
        SangongItem.OPERATING_COST: SangongEntry(SangongItem.OPERATING_COST, Decimal("42.30"),
                                                 Decimal("45.00")),
    }
    return data
