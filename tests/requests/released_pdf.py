"""A PDF to release, as a Word export would give it: Chinese and Latin text with a third
party's name, an ID number and a mobile number in it, and an image."""

from __future__ import annotations

import io

from fpdf import FPDF
from PIL import Image

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
SECRET_NAME = "王小明"
SECRET_ID = "110101199003074514"
SECRET_MOBILE = "13912345678"
KEPT = "老旧小区改造资金拨付情况"


def released_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("cjk", "", FONT, collection_font_number=2)
    pdf.set_font("cjk", size=12)
    for line in (f"{KEPT}（2025年）",
                 f"施工单位联系人：{SECRET_NAME}，身份证号{SECRET_ID}，电话{SECRET_MOBILE}。",
                 "拨付金额：120万元。Contact: Wang Xiaoming"):
        pdf.multi_cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    picture = Image.new("RGB", (200, 100), (200, 30, 30))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    pdf.image(io.BytesIO(buffer.getvalue()), x=20, y=60, w=50)
    return bytes(pdf.output())
