"""Demo prices: the first price list for the demo catalog, with costs and a few
competitor observations (the evidence of S12). Idempotent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from mdss.catalog.models import ProductModel

from .models import CompetitorPrice, PriceBasis, PriceListVersion
from .services import price_list_seed

# Typical hospital prices in CNY by product name (list price of the first model).
LIST_PRICES = {
    "彩色多普勒超声诊断系统": 680000,
    "多参数监护仪": 38000,
    "输液泵": 9800,
    "注射泵": 7600,
    "呼吸机": 268000,
    "除颤仪": 86000,
    "血液透析机": 228000,
    "心电图机": 26000,
    "数字化X射线摄影系统": 980000,
    "全自动生化分析仪": 420000,
    "血细胞分析仪": 168000,
    "电子内窥镜": 560000,
    "高频电刀": 72000,
    "麻醉机": 320000,
    "婴儿培养箱": 58000,
    "医用分子筛制氧机": 6800,
    "手术无影灯": 96000,
    "电动手术台": 128000,
    "医用冷藏箱": 18600,
    "脉搏血氧仪": 1280,
    "电子血压计": 860,
    "植入式心脏起搏器": 46000,
    "髋关节假体": 52000,
    "一次性使用输液器": 3,
    "医用外科口罩": 45,
    "医用电子体温计": 38,
    "医用超声耦合剂": 16,
    "医用检查手套": 58,
    "手动病床": 3600,
    "手动轮椅车": 1200,
    "血糖仪": 260,
    "压缩式雾化器": 680,
}


def seed(stdout=None):
    if PriceListVersion.objects.exists():
        return []
    entries = {}
    models = list(
        ProductModel.objects.select_related("product")
        .filter(product__name__in=LIST_PRICES)
        .order_by("product__name", "code")
    )
    for model in models:
        # later models of a product are the bigger configuration: 15 % dearer
        siblings = [m for m in models if m.product_id == model.product_id]
        step = Decimal("1.15") ** siblings.index(model)
        list_price = (Decimal(LIST_PRICES[model.product.name]) * step).quantize(Decimal("0.01"))
        entries[model.pk] = (list_price, (list_price * Decimal("0.88")).quantize(Decimal("0.01")))
    if not entries:
        return []
    with transaction.atomic():
        price_list_seed(entries=entries, effective_from=date(2026, 1, 1), note="2026 年度价格表")
        for model in models:
            list_price = entries[model.pk][0]
            PriceBasis.objects.create(
                model=model,
                unit_cost=(list_price * Decimal("0.62")).quantize(Decimal("0.01")),
                market_demand="二级以上医院设备更新需求稳定",
            )
        for name, competitor, product, factor in (
            ("多参数监护仪", "某国际品牌", "监护仪 X5", Decimal("1.18")),
            ("彩色多普勒超声诊断系统", "某国产一线品牌", "彩超 R9", Decimal("0.94")),
            ("呼吸机", "某进口品牌", "呼吸机 S7", Decimal("1.25")),
        ):
            model = next(m for m in models if m.product.name == name)
            CompetitorPrice.objects.create(
                model=model,
                competitor=competitor,
                competitor_product=product,
                price=(entries[model.pk][0] * factor).quantize(Decimal("0.01")),
                observed_on=date(2026, 9, 15),
                source="省级集中采购中标公告",
            )
    return []
