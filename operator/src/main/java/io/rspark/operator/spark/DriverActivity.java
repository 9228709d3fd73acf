package io.rspark.operator.spark;

import java.time.Instant;

/**
 * What the driver's bridge reports at {@code GET :8899/activity}: R sessions attached now, Spark
 * Connect operations running now, Spark jobs running now, tasks of running stages not yet started
 * (work waiting for cores), and the last moment anything happened (bridge start, an R request, a
 * Connect session or operation, a job start or end).
 */
public record DriverActivity(
    int attachedRSessions,
    int connectOperations,
    int activeJobs,
    int pendingTasks,
    Instant lastActivity) {}
