package io.rspark.operator.reconcile;

/** Why a spec cannot be realised: a condition reason (CamelCase) and a message for humans. */
public record SpecProblem(String reason, String message) {}
