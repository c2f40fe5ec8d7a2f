"""Pages too (issue 14, point 8): the declared edit forms answer the API's bad values with a
form error at the field, never a server error. A spot check over the world's declared
records (consortium, unit, membership) as the platform admin, through HTTP."""

from __future__ import annotations

import pytest
from django import forms

BAD = {
    forms.IntegerField: str(2**64),
    forms.DecimalField: "1e400",
    forms.FloatField: "NaN",
    forms.DateTimeField: "9999-12-31 23:59",
    forms.DateField: "9999-12-31",
    forms.ModelChoiceField: str(2**64),
    forms.CharField: "a\x00b",
}


def _bad_value(field: forms.Field) -> str | None:
    for kind, value in BAD.items():
        if isinstance(field, kind):
            return value
    return None


@pytest.mark.parametrize("kind", ["consortium", "unit", "membership"])
def test_bad_values_in_an_edit_form_are_form_errors(world, client, kind):
    record = {
        "consortium": world.a,
        "unit": world.units["ent"],
        "membership": world.memberships["ent"],
    }[kind]
    url = {
        "consortium": f"/consortia/{record.pk}/edit/",
        "unit": f"/units/{record.pk}/edit/",
        "membership": f"/memberships/{record.pk}/edit/",
    }[kind]
    client.force_login(world.users["admin"])
    page = client.get(url)
    assert page.status_code == 200, url
    form = page.context["form"]
    initial = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    tried = 0
    for name, field in form.fields.items():
        bad = _bad_value(field)
        if bad is None or name == "version":
            continue
        tried += 1
        response = client.post(url, {**initial, name: bad})  # a 500 raises here
        assert response.status_code in (200, 422), (url, name, response.status_code)
        errors = response.context["form"].errors
        assert name in errors, (url, name, bad, dict(errors))
    assert tried, url
    record.refresh_from_db()
    assert record.version == type(record).objects.get(pk=record.pk).version
