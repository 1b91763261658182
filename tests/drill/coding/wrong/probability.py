"""Wrong solutions of the drills in dlnotes.drill.coding.catalogue.probability."""

import torch

from tests.drill.coding.wrong import wrong


@wrong("bayes-posterior", fails="uniform prior")
def bayes_without_evidence(priors, likelihoods):
    """The numerator of Bayes' theorem only: the joint P(B, A_i), never divided by P(B)."""
    return priors * likelihoods


@wrong("bayes-posterior", fails="rare disease")
def bayes_base_rate_neglect(priors, likelihoods):
    """Base-rate neglect in code: normalizes the likelihoods and leaves the prior out."""
    return likelihoods / likelihoods.sum(-1, keepdim=True)


@wrong("bayes-posterior", fails="batch of scenarios")
def bayes_normalized_over_the_first_axis(priors, likelihoods):
    """Divides by the sum over axis 0 (the batch), which is the last axis only for 1-D inputs."""
    joint = priors * likelihoods
    return joint / joint.sum(0, keepdim=True)


@wrong("bayes-posterior", fails="batch of scenarios")
def bayes_without_keepdim(priors, likelihoods):
    """Forgets keepdim: the (n,) evidence broadcasts along the hypotheses instead of the rows."""
    joint = priors * likelihoods
    return joint / joint.sum(-1)


@wrong("bayes-posterior", fails="batch of scenarios")
def bayes_evidence_by_matmul(priors, likelihoods):
    """Evidence as likelihoods @ priors: right for one prior vector, a matrix product for a batch."""
    evidence = likelihoods @ priors
    return priors * likelihoods / torch.as_tensor(evidence)[..., None]
