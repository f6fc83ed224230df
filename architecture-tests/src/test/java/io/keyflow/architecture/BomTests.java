package io.keyflow.architecture;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * keyflow-bom has no parent (importing it must not import Spring Boot's versions), so nothing keeps it in step
 * with the reactor but this: it has the parent's version and lists every published module (a module that builds
 * sources and Javadoc, see docs/development.md), at the project's version.
 */
class BomTests {

	private static final Path ROOT = Path.of("..");

	@Test
	void bomWhenReadThenListsEveryPublishedModuleAtTheProjectsVersion() throws Exception {
		Element parent = pom(ROOT.resolve("pom.xml"));
		Element bom = pom(ROOT.resolve("bom/pom.xml"));
		Set<String> published = new TreeSet<>();
		for (String module : texts(child(parent, "modules"), "module")) {
			Element pom = pom(ROOT.resolve(module).resolve("pom.xml"));
			Element properties = child(pom, "properties");
			boolean skipped = properties != null && texts(properties, "maven.javadoc.skip").contains("true");
			if (!skipped && !module.equals("bom")) {
				published.add(text(pom, "artifactId"));
			}
		}
		List<String> listed = new ArrayList<>();
		Element dependencies = child(child(bom, "dependencyManagement"), "dependencies");
		for (Node node = dependencies.getFirstChild(); node != null; node = node.getNextSibling()) {
			if (node instanceof Element dependency) {
				assertThat(text(dependency, "groupId")).isEqualTo("io.keyflow");
				assertThat(text(dependency, "version")).isEqualTo("${project.version}");
				listed.add(text(dependency, "artifactId"));
			}
		}

		assertThat(child(bom, "parent")).as("keyflow-bom's parent").isNull();
		assertThat(text(bom, "version")).isEqualTo(text(parent, "version"));
		assertThat(published).contains("keyflow-plugin-api", "keyflow-credential-plugin", "keyflow-rest",
				"keyflow-spring-boot-starter");
		assertThat(listed).doesNotHaveDuplicates().containsAll(published);
	}

	private static Element pom(Path file) throws Exception {
		return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Files.newInputStream(file))
			.getDocumentElement();
	}

	private static Element child(Element parent, String name) {
		for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
			if (node instanceof Element element && element.getTagName().equals(name)) {
				return element;
			}
		}
		return null;
	}

	private static String text(Element parent, String name) {
		Element child = child(parent, name);
		assertThat(child).as("<%s> in <%s>", name, parent.getTagName()).isNotNull();
		return child.getTextContent().trim();
	}

	private static List<String> texts(Element parent, String name) {
		List<String> texts = new ArrayList<>();
		NodeList nodes = parent.getElementsByTagName(name);
		for (int i = 0; i < nodes.getLength(); i++) {
			texts.add(nodes.item(i).getTextContent().trim());
		}
		return texts;
	}

}
