package io.keyflow.plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import io.keyflow.plugin.internal.PluginInitializer;
import io.keyflow.plugin.internal.engine.CredentialParseListener;
import io.keyflow.plugin.internal.engine.CredentialValueSerializer;
import io.keyflow.plugin.internal.engine.ExternalTaskExchange;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.bpmn.parser.BpmnParseListener;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.variable.serializer.TypedValueSerializer;

/**
 * The Camunda engine plugin: runs the Keyflow plugins' init hooks and registers the parse listener that
 * gives credential-declaring tasks their start and end listeners. In Spring Boot it is auto-configured; see
 * {@link KeyflowEngine} to build one without Spring.
 */
public class KeyflowProcessEnginePlugin extends AbstractProcessEnginePlugin {

	private final PluginInitializer plugins;

	private final CredentialParseListener parseListener;

	private final ExternalTaskExchange externalTasks;

	private final Consumer<ProcessEngine> engineBuilt;

	/**
	 * @param plugins the init hooks to run before the first deployment is parsed
	 * @param parseListener the parse listener to register
	 * @param externalTasks the external-task exchange, which runs its commands on this engine
	 * @param engineBuilt given the engine once it is built (credential requests resume its jobs)
	 */
	KeyflowProcessEnginePlugin(PluginInitializer plugins, CredentialParseListener parseListener,
			ExternalTaskExchange externalTasks, Consumer<ProcessEngine> engineBuilt) {
		this.plugins = Objects.requireNonNull(plugins, "plugins cannot be null");
		this.parseListener = Objects.requireNonNull(parseListener, "parseListener cannot be null");
		this.externalTasks = Objects.requireNonNull(externalTasks, "externalTasks cannot be null");
		this.engineBuilt = Objects.requireNonNull(engineBuilt, "engineBuilt cannot be null");
	}

	@Override
	public void postProcessEngineBuild(ProcessEngine processEngine) {
		this.engineBuilt.accept(processEngine);
	}

	@Override
	public void preInit(ProcessEngineConfigurationImpl configuration) {
		this.plugins.initOnce();
		registerParseListener(configuration);
		registerCredentialSerializer(configuration);
	}

	@Override
	public void postInit(ProcessEngineConfigurationImpl configuration) {
		// the command executors exist once the configuration is initialised
		this.externalTasks.engineConfigured(configuration);
	}

	@SuppressWarnings({ "rawtypes", "unchecked" })
	private void registerCredentialSerializer(ProcessEngineConfigurationImpl configuration) {
		List<TypedValueSerializer> serializers = configuration.getCustomPreVariableSerializers();
		if (serializers == null) {
			serializers = new ArrayList<>();
			configuration.setCustomPreVariableSerializers(serializers);
		}
		serializers.add(new CredentialValueSerializer());
	}

	private void registerParseListener(ProcessEngineConfigurationImpl configuration) {
		List<BpmnParseListener> listeners = configuration.getCustomPostBPMNParseListeners();
		if (listeners == null) {
			listeners = new ArrayList<>();
			configuration.setCustomPostBPMNParseListeners(listeners);
		}
		listeners.add(this.parseListener);
	}

	@Override
	public String toString() {
		return "KeyflowProcessEnginePlugin";
	}

}
