"""Custom actions: the persona's side of every role-play (pure logic in scenarios/persona, Rasa in roleplay)."""
