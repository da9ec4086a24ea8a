from django.contrib import admin

from mdss.audit.admin import AuditedModelAdmin

from .models import (
    ComplianceOverride,
    Manufacturer,
    ManufacturerLicence,
    Product,
    ProductDocument,
    ProductModel,
    RegistrationCertificate,
    UdiDeviceIdentifier,
)


@admin.register(Manufacturer)
class ManufacturerAdmin(AuditedModelAdmin):
    list_display = ("name", "role", "country", "credit_code")
    search_fields = ("name", "name_en", "credit_code")


@admin.register(ManufacturerLicence)
class ManufacturerLicenceAdmin(AuditedModelAdmin):
    list_display = ("number", "kind", "manufacturer", "valid_from", "valid_until", "voided_at")
    list_filter = ("kind",)
    search_fields = ("number", "manufacturer__name")
    list_select_related = ("manufacturer",)


class ProductModelInline(admin.TabularInline):
    model = ProductModel
    extra = 0


@admin.register(Product)
class ProductAdmin(AuditedModelAdmin):
    list_display = (
        "name",
        "manufacturer",
        "device_class",
        "category_code",
        "implantable",
        "is_active",
    )
    list_filter = ("device_class", "implantable", "is_active")
    search_fields = ("name", "trade_name", "category_code")
    list_select_related = ("manufacturer",)
    inlines = [ProductModelInline]


class UdiInline(admin.TabularInline):
    model = UdiDeviceIdentifier
    extra = 0


@admin.register(ProductModel)
class ProductModelAdmin(AuditedModelAdmin):
    list_display = ("code", "product", "is_active")
    search_fields = ("code", "product__name", "device_identifiers__di")
    list_select_related = ("product",)
    inlines = [UdiInline]


@admin.register(RegistrationCertificate)
class RegistrationCertificateAdmin(AuditedModelAdmin):
    list_display = (
        "number",
        "kind",
        "product",
        "holder",
        "approved_on",
        "valid_until",
        "voided_at",
    )
    list_filter = ("kind",)
    search_fields = ("number", "product__name")
    filter_horizontal = ("models_covered",)
    list_select_related = ("product", "holder")


@admin.register(ProductDocument)
class ProductDocumentAdmin(AuditedModelAdmin):
    list_display = ("title", "model", "kind", "version", "effective_from")
    list_filter = ("kind",)


@admin.register(ComplianceOverride)
class ComplianceOverrideAdmin(admin.ModelAdmin):
    list_display = ("model", "valid_from", "valid_until", "granted_by", "voided_at")

    def has_add_permission(self, request):
        return False  # granted through the signed service, not the admin

    def has_change_permission(self, request, obj=None):
        return False
