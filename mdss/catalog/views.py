from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mdss.accounts import roles
from mdss.core.dates import local_today
from mdss.core.errors import ApplicationError, apply_to_form
from mdss.core.forms import ImportForm
from mdss.core.htmx import render_page_or_partial
from mdss.core.paging import paginate
from mdss.core.permissions import permission_required

from . import compliance, excel, selectors, services, udi
from .filters import ModelFilterForm
from .forms import OverrideForm, ScanForm

READ = "catalog.view_productmodel"


@permission_required(READ)
def model_list(request):
    form = ModelFilterForm(request.GET or None)
    page = paginate(request, selectors.model_list(**form.filters()), 30)
    gate = compliance.check_models([m.pk for m in page], local_today())
    for model in page:
        model.gate = gate[model.pk]
    return render_page_or_partial(
        request,
        "catalog/model_list.html",
        "catalog/_model_table.html",
        {"page": page, "form": form},
    )


@permission_required(READ)
def model_detail(request, model_id: int):
    model = selectors.model_get(model_id)
    today = local_today()
    is_quality = request.user.has_role(roles.QUALITY)
    form = OverrideForm(request.POST or None, initial={"valid_from": today})
    if request.method == "POST":
        if not is_quality:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.override_grant(model=model, actor=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                apply_to_form(form, exc)
            else:
                messages.success(request, _("The override was signed and recorded."))
                return redirect("catalog:model_detail", model_id=model.pk)
    context = selectors.model_papers(model, today)
    context.update(
        {
            "model": model,
            "gate": compliance.sellable(model, today),
            "form": form,
            "is_quality": is_quality,
            "today": today,
        }
    )
    return render(request, "catalog/model_detail.html", context)


@permission_required(READ)
def expiring(request):
    today = local_today()
    return render(
        request,
        "catalog/expiring.html",
        {
            "documents": selectors.expiring_documents(today=today),
            "overrides": list(selectors.overrides_in_force(today)),
        },
    )


@permission_required(READ)
def scan(request):
    form = ScanForm(request.POST or None)
    result = model = None
    if request.method == "POST" and form.is_valid():
        result = udi.parse_udi(form.cleaned_data["text"])
        model = selectors.model_by_di(result.di) if result.di else None
    return render_page_or_partial(
        request,
        "catalog/scan.html",
        "catalog/_scan_result.html",
        {"form": form, "result": result, "model": model},
    )


@permission_required(READ)
def export_xlsx(request):
    from django.http import HttpResponse

    response = HttpResponse(
        excel.export_catalog(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="catalog-{local_today().isoformat()}.xlsx"'
    )
    return response


@permission_required("catalog.add_product")
def import_xlsx(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = counts = None
    if request.method == "POST" and form.is_valid():
        try:
            counts = excel.import_catalog(form.cleaned_data["file"].read(), actor=request.user)
        except excel.ImportRefused as refused:
            errors = refused.errors
        else:
            messages.success(
                request,
                _(
                    "Imported: %(products)s new products, %(models)s new models, "
                    "%(certificates)s certificates."
                )
                % counts,
            )
            return redirect("catalog:model_list")
    return render(
        request, "catalog/import.html", {"form": form, "errors": errors, "counts": counts}
    )


def _keeper(request, codename: str):
    if not (request.user.is_superuser or request.user.has_perm(f"catalog.{codename}")):
        raise PermissionDenied


def product_edit(request, product_id: int | None = None):
    from django.shortcuts import get_object_or_404

    from .forms import ProductForm
    from .models import Product

    product = get_object_or_404(Product, pk=product_id) if product_id else None
    _keeper(request, "change_product" if product else "add_product")
    form = ProductForm(request.POST or None, instance=product)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.product_save(
                actor=request.user,
                product=form.save(commit=False),
                models=form.cleaned_data["new_models"].splitlines(),
            )
        except ApplicationError as exc:
            apply_to_form(form, exc)
        else:
            messages.success(request, _("The product was saved."))
            first = saved.models.order_by("code").first()
            return (
                redirect("catalog:model_detail", model_id=first.pk)
                if first
                else redirect("catalog:model_list")
            )
    return render(
        request,
        "catalog/form.html",
        {
            "form": form,
            "title": _("Edit product") if product else _("New product"),
            "multipart": False,
        },
    )


def certificate_edit(request, product_id: int, certificate_id: int | None = None):
    from django.shortcuts import get_object_or_404

    from .forms import CertificateForm
    from .models import Product, RegistrationCertificate

    product = get_object_or_404(Product, pk=product_id)
    certificate = (
        get_object_or_404(RegistrationCertificate, pk=certificate_id, product=product)
        if certificate_id
        else None
    )
    _keeper(
        request, "change_registrationcertificate" if certificate else "add_registrationcertificate"
    )
    form = CertificateForm(
        request.POST or None, request.FILES or None, instance=certificate, product=product
    )
    if request.method == "POST" and form.is_valid():
        instance = form.save(commit=False)
        instance.product = product
        try:
            services.certificate_save(
                actor=request.user,
                certificate=instance,
                models_covered=list(form.cleaned_data["models_covered"]),
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as exc:
            apply_to_form(form, exc)
        else:
            messages.success(request, _("The certificate was recorded."))
            return redirect(
                "catalog:model_detail", model_id=form.cleaned_data["models_covered"][0].pk
            )
    title = (
        _("Correct certificate %(number)s") % {"number": certificate.number}
        if certificate
        else _("New certificate for %(product)s") % {"product": product}
    )
    return render(request, "catalog/form.html", {"form": form, "title": title, "multipart": True})


def document_upload(request, model_id: int):
    from .forms import DocumentForm

    _keeper(request, "add_productdocument")
    model = selectors.model_get(model_id)
    form = DocumentForm(
        request.POST or None, request.FILES or None, initial={"effective_from": local_today()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_upload(
                actor=request.user, model=model, **form.cleaned_data
            )
        except ApplicationError as exc:
            apply_to_form(form, exc)
        else:
            messages.success(
                request,
                _("%(title)s version %(version)s was uploaded.")
                % {"title": document.title, "version": document.version},
            )
            return redirect("catalog:model_detail", model_id=model.pk)
    return render(
        request,
        "catalog/form.html",
        {
            "form": form,
            "title": _("Upload a document for %(model)s") % {"model": model},
            "multipart": True,
        },
    )


@permission_required(READ)
def document_file(request, document_id: int):
    """A product document (IFU, label …): every member of staff may read them."""
    from django.shortcuts import get_object_or_404

    from mdss.core.files import serve

    from .models import ProductDocument

    return serve(get_object_or_404(ProductDocument, pk=document_id).file)
