"""Factories that go through the services, so test data meets the rules a user meets."""

from __future__ import annotations

import factory

from accounts.models import PTj, Role, User
from accounts.services import role_assign


class PTjFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PTj
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"PTJ{n}")
    name = factory.LazyAttribute(lambda o: f"Faculty {o.code}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Faker("name")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        password = kwargs.pop("password", "a-long-test-password")
        return model_class.objects.create_user(*args, password=password, **kwargs)


def user_with_role(role: Role, *, ptj: PTj | None = None, committee: str = "", **kwargs: object) -> User:
    user = UserFactory(**kwargs)
    role_assign(user=user, role=role, ptj=ptj, committee=committee)
    return user
