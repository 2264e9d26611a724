"""Procurement: tenders with sealed bids, evaluation and award, contracts paid on inspected milestones, prices."""
