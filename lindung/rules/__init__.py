"""Lindung's rules engine: dated parameters (data/*.yaml) and pure calculators. No Django here.

Entry points: `contributions.contribution`, `benefits.jkm_benefit` / `jkk_benefit`,
`entitlements.scholarship_benefit` / `jht_payout` / `heirs`, and `inputs` for text input.
"""
