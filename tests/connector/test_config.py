"""connector.config: the Twilio YAML loads; bad documents fail naming the key."""

import copy

import pytest
import yaml

from connector import config
from connector.config import ConfigError


@pytest.fixture
def twilio_doc() -> dict:
    with open(config.CONFIG_DIR / "twilio_conversations.yaml") as fh:
        return yaml.safe_load(fh)


def test_the_twilio_config_reads_level_by_level():
    c = config.load("twilio_conversations")
    assert [[e.name for e in level] for level in c.levels()] == [
        ["user"],
        ["user_conversations", "participant_conversations"],
        ["conversation_participants"],
        ["conversation_messages"],
    ]
    assert c.test_request.path == "/v1/Users"
    assert c.endpoint("conversation_messages").update.request_override == "twilio_conversation_message_update"
    assert c.link_fields("conversation_messages") == ("conversation_sid", "sid")


def test_every_override_the_twilio_config_names_is_registered():
    from connector import overrides

    c = config.load("twilio_conversations")
    names = {r.request_override for e in c.endpoints for r in (e.update, e.delete) if r and r.request_override}
    assert names <= set(overrides.REGISTRY)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda d: d["saas_config"]["endpoints"][2]["requests"]["read"][0]["pagination"].update(strategy="offset"),
            "endpoints[2].requests.read[0].pagination.strategy: must be 'link'",
        ),
        (
            lambda d: d["saas_config"]["endpoints"][1]["requests"]["read"].update(method="FETCH"),
            "endpoints[1].requests.read.method: must be one of",
        ),
        (
            lambda d: d["saas_config"]["endpoints"][4]["requests"]["read"]["param_values"][0].update(
                references=[{"field": "nowhere.sid"}]
            ),
            "references unknown collection 'nowhere'",
        ),
        (lambda d: d["saas_config"].pop("client_config"), "client_config: must be a mapping"),
        (
            lambda d: d["saas_config"]["endpoints"][0]["requests"].update(erase={}),
            "endpoints[0].requests.erase: unknown request",
        ),
        (
            lambda d: d["saas_config"]["endpoints"][1]["requests"]["read"].update(path="/v1/Users/<nobody>"),
            "endpoints[1].requests.read.path: <nobody> is neither",
        ),
    ],
)
def test_an_invalid_config_names_the_bad_key(twilio_doc, mutate, message):
    doc = copy.deepcopy(twilio_doc)
    mutate(doc)
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        config.parse(doc)


def test_circular_references_are_refused(twilio_doc):
    doc = copy.deepcopy(twilio_doc)
    user_read = doc["saas_config"]["endpoints"][0]["requests"]["read"]
    user_read["param_values"][0]["references"].append({"field": "conversation_messages.author"})
    with pytest.raises(ConfigError, match="circular references"):
        config.parse(doc)
