package io.keyflow.plugin.internal.engine;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import javax.sql.DataSource;

import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;

/**
 * The data source of an engine configured by a container ({@code bpm-platform.xml}, {@code processes.xml}):
 * there it exists only as properties ({@code dataSourceJndiName}, or {@code jdbcUrl} and the pool settings)
 * until the engine builds it, after its plugins' {@code preInit}. Keyflow needs it in {@code preInit} to create
 * its tables and check the key, so it asks the engine to build it then, with the engine's own code: the same JNDI
 * lookup or pool, with every pool setting, which the engine then keeps using.
 */
public final class EngineDataSource {

	private EngineDataSource() {
	}

	/**
	 * @param configuration an engine configuration during {@code preInit}
	 * @return its data source, built by the engine now if it has not been yet
	 * @throws ProcessEngineException if the configuration names no data source, or the engine cannot build it
	 */
	public static DataSource of(ProcessEngineConfigurationImpl configuration) {
		if (configuration.getDataSource() == null) {
			initDataSource(configuration);
		}
		if (configuration.getDataSource() == null) {
			throw new ProcessEngineException("Keyflow needs the engine's data source: configure dataSourceJndiName or "
					+ "jdbcUrl for process engine '" + configuration.getProcessEngineName() + "'");
		}
		return configuration.getDataSource();
	}

	private static void initDataSource(ProcessEngineConfigurationImpl configuration) {
		try {
			// protected, and idempotent: the engine's own init() calls it again and keeps the data source built here
			Method init = ProcessEngineConfigurationImpl.class.getDeclaredMethod("initDataSource");
			init.setAccessible(true);
			init.invoke(configuration);
		}
		catch (InvocationTargetException ex) {
			throw (ex.getCause() instanceof RuntimeException runtime) ? runtime
					: new ProcessEngineException("cannot build the engine's data source", ex.getCause());
		}
		catch (ReflectiveOperationException ex) {
			throw new ProcessEngineException("cannot build the engine's data source with this Camunda version", ex);
		}
	}

}
