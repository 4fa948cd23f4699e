package dev.palaver.server.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;

import dev.palaver.server.identity.Access;
import dev.palaver.server.identity.Caller;
import dev.palaver.server.identity.Role;
import dev.palaver.server.knowledge.KnowledgeBases;
import dev.palaver.server.knowledge.KnowledgeSearch;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;

/** {@code /knowledge}: knowledge bases, their documents (upload, delete) and a test search. */
@Controller
class KnowledgePage {

    private final KnowledgeBases bases;
    private final KnowledgeSearch search;

    KnowledgePage(KnowledgeBases bases, KnowledgeSearch search) {
        this.bases = bases;
        this.search = search;
    }

    @GetMapping("/knowledge")
    String list(Caller caller, @RequestParam(name = "cursor", required = false) String cursor, Model model) {
        model.addAttribute("page", bases.list(caller.orgId(), cursor, 50));
        model.addAttribute("canEdit", caller.role().atLeast(Role.ADMIN));
        return "knowledge";
    }

    @PostMapping("/knowledge")
    @Access(role = Role.ADMIN)
    String create(Caller caller, @RequestParam(name = "name", defaultValue = "") String name,
                  @RequestParam(name = "description", defaultValue = "") String description) {
        if (name.isBlank() || name.length() > 200 || description.length() > 2000) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "Give the knowledge base a name of at most 200 characters.");
        }
        KnowledgeBases.KnowledgeBase kb = bases.create(caller.orgId(), caller, name.strip(),
                description.isBlank() ? null : description.strip());
        return "redirect:/knowledge/" + kb.id();
    }

    @GetMapping("/knowledge/{id}")
    String base(Caller caller, @PathVariable UUID id, @RequestParam(name = "cursor", required = false) String cursor,
                Model model) {
        model.addAttribute("kb", bases.get(caller.orgId(), id));
        model.addAttribute("documents", bases.documents(caller.orgId(), id, cursor, 50));
        model.addAttribute("canEdit", caller.role().atLeast(Role.ADMIN));
        return "knowledge-base";
    }

    @PostMapping("/knowledge/{id}/documents")
    @Access(role = Role.ADMIN)
    String upload(Caller caller, @PathVariable UUID id, @RequestParam(name = "file", required = false) MultipartFile file) {
        if (file == null || file.isEmpty()) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "Choose a file to upload.");
        }
        try {
            bases.addDocument(caller.orgId(), caller, id, file.getOriginalFilename(), file.getContentType(), file.getBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "redirect:/knowledge/" + id + "?uploaded";
    }

    @PostMapping("/knowledge/{id}/delete")
    @Access(role = Role.ADMIN)
    String delete(Caller caller, @PathVariable UUID id) {
        bases.delete(caller.orgId(), caller, id);
        return "redirect:/knowledge";
    }

    @PostMapping("/knowledge/{id}/documents/{documentId}/delete")
    @Access(role = Role.ADMIN)
    String deleteDocument(Caller caller, @PathVariable UUID id, @PathVariable UUID documentId) {
        bases.deleteDocument(caller.orgId(), caller, id, documentId);
        return "redirect:/knowledge/" + id;
    }

    /** htmx: the best passages for a question, as the agents' knowledge tool would find them. */
    @PostMapping("/knowledge/{id}/search")
    String search(Caller caller, @PathVariable UUID id, @RequestParam(name = "query", defaultValue = "") String query,
                  Model model) {
        bases.get(caller.orgId(), id);
        model.addAttribute("query", query);
        model.addAttribute("result", query.isBlank() ? null
                : search.search(caller.orgId(), List.of(id), query, KnowledgeSearch.DEFAULT_LIMIT));
        return "knowledge-base :: results";
    }
}
