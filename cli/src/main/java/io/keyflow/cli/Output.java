package io.keyflow.cli;

import java.io.PrintWriter;
import java.time.Instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import picocli.CommandLine.Model.CommandSpec;

/** What a command prints on stdout: lines, or one indented JSON document. */
final class Output {

	// instants as ISO-8601 text, as the server writes them
	private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
		.registerModule(new SimpleModule().addSerializer(Instant.class, ToStringSerializer.instance));

	private Output() {
	}

	static void line(CommandSpec spec, String line) {
		PrintWriter out = spec.commandLine().getOut();
		out.println(line);
		out.flush();
	}

	static void json(CommandSpec spec, Object value) {
		try {
			line(spec, JSON.writeValueAsString(value));
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("cannot print the answer as JSON", ex);
		}
	}

}
