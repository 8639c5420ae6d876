"""Helpers for the account journeys: signing in through the pages, as a person does."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD


def sign_in(client, username: str, password: str = PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


@pytest.fixture
def sign_in_as():
    return sign_in
