"""What harvesters read: the OAI-PMH 2.0 provider (``oai``: the protocol; ``arguments``: what a
request may say; ``tokens``: resumption tokens) and its Dublin Core mapping (``oai_dc``)."""
