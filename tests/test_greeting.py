import pytest

from phraselint.greeting import names_customer


@pytest.mark.parametrize("text", [
    "Hi {{ticket.requester.name.first}},\n\nThanks for writing in.",
    "Dear %{recipient.name.first},\nA request for support has been created.",
    "Hello [NAME], thanks!",
    "Hi <CUSTOMER_NAME>, thanks!",
    "Hey ${firstName}! Thanks.",
    "@jdoe Hi Sam, sorry for the trouble.",
    "Dear Mr Smith, I apologize for the delay.",
    "👋 Hey @{{ author }}! Just checking in.",
])
def test_named(text):
    assert names_customer(text)


@pytest.mark.parametrize("text", [
    "Hi there, sorry for the trouble.",
    "Hello team, thanks!",
    "Thanks for reporting this issue.",
    "Hi {{ ticket.number }}, odd but not a name.",
    "Reinstall the app. Thanks.",
    "Dear customer, we received your request.",
    "Dear Parent,\n\nOur records show the payment was made.",
    "Dear Valued Customer, thank you for your patience.",
])
def test_not_named(text):
    assert not names_customer(text)
