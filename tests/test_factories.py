"""Every model has a factory, and each builds a row that passes the model's own validation."""

import pytest
from django.apps import apps

from tests import factories

pytestmark = pytest.mark.django_db

OWN_APPS = ["requests_app", "messaging", "connector", "twilio_sandbox"]
FACTORIES = {
    f._meta.model if not isinstance(f._meta.model, str) else apps.get_model(f._meta.model): f
    for f in vars(factories).values()
    if isinstance(f, type) and issubclass(f, factories.factory.django.DjangoModelFactory) and f._meta.model
}


def test_every_model_of_ours_has_a_factory():
    models = [m for app in OWN_APPS for m in apps.get_app_config(app).get_models()]
    missing = [m.__name__ for m in models if m not in FACTORIES]
    assert missing == []


@pytest.mark.parametrize("factory_class", list(FACTORIES.values()), ids=lambda f: f.__name__)
def test_factory_builds_a_valid_row(factory_class):
    row = factory_class()
    row.full_clean()
    assert type(row).objects.filter(pk=row.pk).exists()
