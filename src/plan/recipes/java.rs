//! Java: the jar named in `java -jar …` (Maven `target/`, Gradle `build/libs/`, never the
//! `-plain.jar`), or an `installDist` tree (needs a shell); JRE of the same major version.

use super::{Artifact, Cx, Recipe, RecipeOut, dev_image, skip};
use crate::outcome::{Code, Reason};
use crate::plan::stage::{basename, join};

pub struct Java;

impl Recipe for Java {
    fn id(&self) -> &'static str {
        "java"
    }

    fn analyze(&self, cx: &Cx<'_>) -> Result<RecipeOut, Reason> {
        let mut out = RecipeOut::default();
        dev_image(cx.view, cx.program, cx.table, Some(self.id()))?;
        let builds = cx.view.invocations().iter().any(|i| ["mvn", "mvnw", "gradle", "gradlew", "javac", "jar", "sbt", "lein"].iter().any(|t| i.is(t)));
        if !builds {
            return Err(skip(Code::NoBuildOutput, "no build step (mvn, gradle, javac): a runtime image for a prebuilt jar"));
        }
        let argv = &cx.program.argv;
        if let Some(i) = argv.iter().position(|a| a == "-jar") {
            let jar = argv.get(i + 1).ok_or_else(|| skip(Code::UnknownOutput, "`java -jar` without a jar"))?;
            if jar.contains('*') {
                return Err(skip(Code::UnknownOutput, format!("the jar `{jar}` is a glob: name the jar so the runtime copies exactly one")));
            }
            if jar.ends_with("-plain.jar") {
                return Err(skip(Code::UnknownOutput, "the program runs Gradle's -plain.jar, which has no dependencies"));
            }
            out.artifacts.push(Artifact::same(join(&cx.program.workdir, jar), "the jar `java -jar` runs"));
            return Ok(out);
        }
        let exe = cx.program.exe();
        if exe.contains("/build/install/") || exe.contains("build/install/") {
            let p = join(&cx.program.workdir, exe);
            let root = p.split("/bin/").next().unwrap_or(&p).to_string();
            out.artifacts.push(Artifact::same(root, "the installDist tree (start script + lib/)"));
            out.needs_shell = true;
            out.note(Code::Variant, "installDist start scripts need a shell in the runtime");
            return Ok(out);
        }
        if basename(exe) == "java"
            && let Some(cp) = argv.iter().position(|a| a == "-cp" || a == "-classpath")
        {
            let cpv = argv.get(cp + 1).cloned().unwrap_or_default();
            for part in cpv.split(':').filter(|p| !p.is_empty() && !p.contains('*')) {
                out.artifacts.push(Artifact::same(join(&cx.program.workdir, part), "on the classpath"));
            }
            if !out.artifacts.is_empty() {
                return Ok(out);
            }
        }
        Err(skip(Code::UnknownOutput, format!("cannot tell which jar the program `{}` runs", argv.join(" "))))
    }
}
