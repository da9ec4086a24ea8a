"""The first level of the medical-device classification catalogue (医疗器械分类目录,
2017): a product's category code starts with one of these two digits, and sales are
broken down by them."""

CATALOGUE = {
    "01": "有源手术器械",
    "02": "无源手术器械",
    "03": "神经和心血管手术器械",
    "04": "骨科手术器械",
    "05": "放射治疗器械",
    "06": "医用成像器械",
    "07": "医用诊察和监护器械",
    "08": "呼吸、麻醉和急救器械",
    "09": "物理治疗器械",
    "10": "输血、透析和体外循环器械",
    "11": "医疗器械消毒灭菌器械",
    "12": "有源植入器械",
    "13": "无源植入器械",
    "14": "注输、护理和防护器械",
    "15": "患者承载器械",
    "16": "眼科器械",
    "17": "口腔科器械",
    "18": "妇产科、辅助生殖和避孕器械",
    "19": "医用康复器械",
    "20": "中医器械",
    "21": "医用软件",
    "22": "临床检验器械",
}


def label(code: str) -> str:
    return f"{code} {CATALOGUE[code]}" if code in CATALOGUE else (code or "—")


def choices() -> list[tuple[str, str]]:
    return [(code, label(code)) for code in CATALOGUE]
