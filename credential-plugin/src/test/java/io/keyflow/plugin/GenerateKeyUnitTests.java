package io.keyflow.plugin;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.keyflow.api.Keyring;

import static org.assertj.core.api.Assertions.assertThat;

class GenerateKeyUnitTests {

	@Test
	void mainThenPrintsAKeyTheKeyringAcceptsAndTheHintOnStandardError() {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		PrintStream originalOut = System.out;
		PrintStream originalErr = System.err;
		try {
			System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
			System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
			GenerateKey.main(new String[0]);
			GenerateKey.main(new String[0]);
		}
		finally {
			System.setOut(originalOut);
			System.setErr(originalErr);
		}
		String[] keys = out.toString(StandardCharsets.UTF_8).split("\\R");
		assertThat(keys).hasSize(2).doesNotHaveDuplicates();
		assertThat(Keyring.parse(keys[0] + "," + keys[1]).keyIds()).hasSize(2);
		assertThat(err.toString(StandardCharsets.UTF_8)).contains("KEYFLOW_ENCRYPTION_KEY")
			.doesNotContain(keys[0]);
	}

}
