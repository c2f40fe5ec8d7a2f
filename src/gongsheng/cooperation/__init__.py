"""Cooperation projects, contracts with benefit-sharing and IP terms, IP assets and licences."""
