package io.keyflow.cli;

import java.io.PrintWriter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import picocli.CommandLine.Model.CommandSpec;

/** What a command prints on stdout: lines, or one indented JSON document. */
final class Output {

	private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

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
