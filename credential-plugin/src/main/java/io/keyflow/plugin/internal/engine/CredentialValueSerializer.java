package io.keyflow.plugin.internal.engine;

import io.keyflow.api.Credential;
import io.keyflow.api.CredentialException;

import org.camunda.bpm.engine.impl.variable.serializer.TypedValueSerializer;
import org.camunda.bpm.engine.impl.variable.serializer.ValueFields;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.bpm.engine.variable.impl.value.UntypedValueImpl;
import org.camunda.bpm.engine.variable.type.ValueType;
import org.camunda.bpm.engine.variable.value.ObjectValue;
import org.camunda.bpm.engine.variable.value.TypedValue;

/**
 * The engine's serializer for {@link Credential} values. Camunda asks a serializer even for transient
 * variables; this one writes nothing, and refuses outright when a credential is set as a normal, persisted
 * variable, so no code path can write a secret into {@code ACT_RU_VARIABLE} or history.
 */
public final class CredentialValueSerializer implements TypedValueSerializer<ObjectValue> {

	static final String NAME = "keyflow-credential";

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public ValueType getType() {
		return ValueType.OBJECT;
	}

	@Override
	public void writeValue(ObjectValue value, ValueFields valueFields) {
		if (!value.isTransient()) {
			throw new CredentialException("A Keyflow credential cannot be stored in a persisted variable ('"
					+ valueFields.getName() + "'); read it from the task's transient 'credential' variable instead");
		}
		// transient: nothing to write, the value lives only in memory
	}

	@Override
	public ObjectValue readValue(ValueFields valueFields, boolean deserializeValue, boolean isTransient) {
		// nothing was ever written, so there is nothing to read back
		return Variables.objectValue(null, isTransient).create();
	}

	@Override
	public boolean canHandle(TypedValue value) {
		return value != null && value.getValue() instanceof Credential
				&& (value instanceof UntypedValueImpl || value instanceof ObjectValue objectValue && objectValue.isDeserialized());
	}

	@Override
	public ObjectValue convertToTypedValue(UntypedValueImpl untypedValue) {
		return Variables.objectValue(untypedValue.getValue(), untypedValue.isTransient()).create();
	}

	@Override
	public String getSerializationDataformat() {
		return null;
	}

	@Override
	public boolean isMutableValue(ObjectValue typedValue) {
		return false;
	}

}
