package io.keyflow.plugin.internal.engine;

import java.time.Duration;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;

/**
 * Gives the jobs that waited on a credential their retries back, due after a delay (the resolution cache's TTL, so
 * that no node still holds a cached "not found" when the job executor runs them again); their failed-job incidents
 * resolve at once. Jobs that no longer exist (the instance was cancelled or ended) are skipped.
 */
public final class JobResumer {

	private JobResumer() {
	}

	/**
	 * @param engine the process engine
	 * @param jobIds the jobs
	 * @param delay how long from now (the engine's clock) until they are due
	 * @return the ids of the jobs that were given retries
	 */
	public static List<String> resume(ProcessEngine engine, Collection<String> jobIds, Duration delay) {
		if (jobIds.isEmpty()) {
			return List.of();
		}
		List<String> existing = engine.getManagementService()
			.createJobQuery()
			.jobIds(new HashSet<>(jobIds))
			.list()
			.stream()
			.map(Job::getId)
			.sorted()
			.toList();
		if (existing.isEmpty()) {
			return existing;
		}
		int retries = ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration())
			.getDefaultNumberOfRetries();
		engine.getManagementService().setJobRetries(retries).jobIds(existing).dueDate(new Date(ClockUtil.getCurrentTime().getTime() + delay.toMillis()))
			.execute();
		return existing;
	}

	/**
	 * @param engine the process engine
	 * @param jobIds the jobs
	 * @return the ids of the open failed-job incidents of those jobs
	 */
	public static List<String> incidentIds(ProcessEngine engine, Collection<String> jobIds) {
		return jobIds.stream()
			.flatMap((jobId) -> engine.getRuntimeService().createIncidentQuery().configuration(jobId).list().stream())
			.map((incident) -> incident.getId())
			.toList();
	}


}
