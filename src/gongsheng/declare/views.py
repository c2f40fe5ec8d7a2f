"""The pages of a declared model: list (filters, export, htmx partial, paging), detail (moves
the user may make, change history), create and edit (hidden version, errors at the field),
delete and each lifecycle move. :func:`urlpatterns` gives an app the paths, named
``<namespace>:<prefix>list`` … ``<namespace>:<prefix><move>``.

Templates: ``declare/list.html``, ``declare/detail.html`` and ``declare/form.html``, which a
declaration may replace (``list_template`` …), usually by extending them and filling blocks.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongsheng.access.scope import can, scope
from gongsheng.core.errors import Conflict, Forbidden, ValidationFailed
from gongsheng.core.pages import form_errors, page_errors, paginate, query_without_page
from gongsheng.declare import selectors, services
from gongsheng.declare.declaration import Declaration
from gongsheng.declare.forms import edit_form, filter_values


def url_name(decl: Declaration, action: str) -> str:
    return f"{decl.namespace}:{_local_name(decl, action)}"


def _local_name(decl: Declaration, action: str) -> str:
    return decl.url_names.get(action, f"{decl.url_prefix}{action}")


def _urls(decl: Declaration) -> dict[str, str]:
    names = ["list", "create", "detail", "edit", "delete", *(m.name for m in decl.moves)]
    # a dict the templates read as urls.detail
    return {n: url_name(decl, n) for n in names}


def _base(decl: Declaration, consortium: Any) -> dict[str, Any]:
    return {
        "decl": decl,
        "urls": _urls(decl),
        "label": decl.label,
        "current_consortium": consortium,
        "nav": decl.nav,
    }


def list_view(request: HttpRequest, decl: Declaration, consortium_id: int) -> HttpResponse:
    consortium = selectors.consortium(user=request.user, consortium_id=consortium_id)
    qs = selectors.listing(decl, user=request.user, consortium_id=consortium.pk, params=request.GET)
    if request.GET.get("export"):
        from gongsheng.transfer.exporting import export_response

        return export_response(
            request, decl.table, qs.order_by("pk"), fmt=request.GET["export"],
            actor=request.user, consortium_id=consortium.pk,
        )  # fmt: skip
    may_add = decl.may_add(request.user, consortium.pk)
    form = None
    if decl.add_on_list and may_add:
        form, saved = _bound_form(request, decl, consortium)
        if saved is not None:
            messages.success(request, decl.saved_message(saved, form, created=True))
            return redirect(url_name(decl, "list"), consortium.pk)
    elif decl.add_on_list and request.method == "POST":
        raise Forbidden(str(decl.add_forbidden))
    filters, filter_form = filter_values(decl, request.GET)
    page = paginate(request, qs)
    deletable: set[Any] = set()
    if decl.deletable:
        shown = qs.filter(pk__in=[o.pk for o in page.object_list])
        deletable = set(scope(request.user, shown, "delete").values_list("pk", flat=True))
    context = {
        **_base(decl, consortium),
        "page": page,
        "form": form,
        "deletable": deletable,
        "query": query_without_page(request),
        "filters": filters,
        "filter_form": filter_form,
        "columns": decl.shown_columns(),
        "table_id": decl.table_id,
        "can_add": may_add,
        "can_import": decl.transfer and decl.importable and can(request.user, "import", consortium),
        **decl.page_context(request, None),
    }
    template = decl.list_template
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == decl.table_id:
        template += f"#{decl.table_id}"
    return render(request, template, context)


def detail_view(request: HttpRequest, decl: Declaration, pk: int) -> HttpResponse:
    from gongsheng.access.selectors import audit_contents_visible, audit_for_object

    obj = selectors.get(decl, user=request.user, pk=pk)
    history = list(audit_for_object(user=request.user, obj=obj)[:20])
    moves = [
        (m, m.form(initial=m.initial(obj)) if m.form else None)
        for m in decl.moves
        if (m.when is None or m.when(obj)) and can(request.user, m.name, obj)
    ]
    context = {
        **_base(decl, getattr(obj, decl.consortium_field) if decl.consortium_field else None),
        "object": obj,
        decl.context_name: obj,
        "can_change": can(request.user, "change", obj),
        "can_delete": decl.deletable and can(request.user, "delete", obj),
        "moves": moves,
        "move_forms": {m.name: form for m, form in moves},
        "history": history,
        "visible": audit_contents_visible(user=request.user, entries=history),
        **decl.page_context(request, obj),
    }
    return render(request, decl.detail_template, context)


def _bound_form(
    request: HttpRequest, decl: Declaration, consortium: Any, obj: Any = None
) -> tuple[Any, Any]:
    """The edit form, bound to a POST and saved through the services when valid:
    ``(form, saved record or None)``; the service's errors sit at their fields."""
    form_class = edit_form(decl)
    # every declared form takes ``instance`` (a ModelForm does; a plain form fills its initial
    # values from it)
    kwargs = {**decl.form_kwargs(request, consortium), "instance": obj}
    if request.method == "POST":
        form = form_class(request.POST, **kwargs)
        if form.is_valid():
            data = decl.service_data(form)
            try:
                if obj is None:
                    if consortium is not None:
                        data["consortium_id"] = consortium.pk
                    saved = services.create_record(decl, actor=request.user, **data)
                else:
                    saved = services.update_record(
                        decl, actor=request.user, pk=obj.pk,
                        version=form.cleaned_data.get("version"), **data,
                    )  # fmt: skip
            except (Conflict, ValidationFailed) as exc:
                for err in exc.errors:
                    err.field = decl.page_field(err.field)
                # a form with rows of its own (a contract's parties) places the errors itself
                getattr(form, "service_errors", functools.partial(form_errors, form))(exc)
            else:
                return form, saved
        return form, None
    initial = {"version": obj.version} if obj is not None else {}
    return form_class(initial=initial, **kwargs), None


def _form_page(
    request: HttpRequest, decl: Declaration, consortium: Any, obj: Any = None
) -> HttpResponse:
    form, saved = _bound_form(request, decl, consortium, obj)
    if saved is not None:
        messages.success(request, decl.saved_message(saved, form, created=obj is None))
        return redirect(url_name(decl, "detail"), saved.pk)
    context = {**_base(decl, consortium), "form": form, "object": obj, decl.context_name: obj}
    return render(request, decl.form_template, context)


def create_view(
    request: HttpRequest, decl: Declaration, consortium_id: int | None = None
) -> HttpResponse:
    """The new record's form; without ``consortium_id`` a record of no consortium (a new
    consortium: ``page(create_view, decl)`` at a path of the app's own)."""
    consortium = None
    if consortium_id is not None:
        consortium = selectors.consortium(user=request.user, consortium_id=consortium_id)
    if not decl.may_add(request.user, consortium.pk if consortium is not None else None):
        raise Forbidden(str(decl.add_forbidden))
    return _form_page(request, decl, consortium)


def edit_view(request: HttpRequest, decl: Declaration, pk: int) -> HttpResponse:
    obj = selectors.get(decl, user=request.user, pk=pk, action="change")
    consortium = getattr(obj, decl.consortium_field) if decl.consortium_field else None
    return _form_page(request, decl, consortium, obj)


def _posted_version(request: HttpRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


def delete_view(request: HttpRequest, decl: Declaration, pk: int) -> HttpResponse:
    obj = selectors.get(decl, user=request.user, pk=pk, action="delete")
    try:
        services.delete(decl, actor=request.user, pk=obj.pk, version=_posted_version(request))
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect(url_name(decl, "detail"), obj.pk)
    messages.success(request, _("Deleted."))
    return redirect(url_name(decl, "list"), getattr(obj, f"{decl.consortium_field}_id"))


def move_view(request: HttpRequest, decl: Declaration, pk: int, move: str) -> HttpResponse:
    step = decl.move(move)
    obj = selectors.get(decl, user=request.user, pk=pk, action=step.name)
    data: dict[str, Any] = {"version": _posted_version(request)}
    if step.form is not None:
        form = step.form(request.POST)
        if not form.is_valid():
            messages.error(request, str(step.invalid or _("Check the form and send it again.")))
            return redirect(url_name(decl, "detail"), obj.pk)
        data = dict(form.cleaned_data)
    try:
        moved = step.call(actor=request.user, **{decl.id_name: obj.pk}, **data)
        done = step.done(moved) if callable(step.done) else step.done
        messages.success(request, str(done or _("Saved.")))
    except (Conflict, ValidationFailed) as exc:
        messages.error(request, exc.message)
    return redirect(url_name(decl, "detail"), obj.pk)


def _page(
    view: Callable[..., HttpResponse], decl: Declaration, *, post: bool = False, **fixed: Any
) -> Callable:
    @functools.wraps(view)
    def bound(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return view(request, decl, *args, **kwargs, **fixed)

    inner = page_errors(bound)
    return login_required(require_POST(inner) if post else inner)


def page(view: Callable[..., HttpResponse], decl: Declaration, **fixed: Any) -> Callable:
    """A declared page (``create_view``, ``edit_view`` …) for a path of the app's own, where
    :func:`urlpatterns`' shape does not fit (the consortium's own new and edit pages)."""
    return _page(view, decl, **fixed)


def urlpatterns(decl: Declaration) -> list[URLPattern]:
    """The declared pages' paths, for the app's ``urls.py`` (under its namespace)."""
    n = decl.name

    def name(action: str) -> str:
        return _local_name(decl, action)

    out = [
        path(f"consortia/<int:consortium_id>/{n}/", _page(list_view, decl), name=name("list")),
        path(f"consortia/<int:consortium_id>/{n}/new/", _page(create_view, decl),
             name=name("create")),
        path(f"{n}/<int:pk>/", _page(detail_view, decl), name=name("detail")),
        path(f"{n}/<int:pk>/edit/", _page(edit_view, decl), name=name("edit")),
    ]  # fmt: skip
    if decl.deletable:
        out.append(
            path(f"{n}/<int:pk>/delete/", _page(delete_view, decl, post=True),
                 name=name("delete"))
        )  # fmt: skip
    for m in decl.moves:
        out.append(
            path(f"{n}/<int:pk>/{m.name}/", _page(move_view, decl, post=True, move=m.name),
                 name=name(m.name))
        )  # fmt: skip
    # the pages the app serves itself (``own_pages``) keep their URL name in the app's urls
    own = {name(action) for action in decl.own_pages}
    return [p for p in out if p.name not in own]
