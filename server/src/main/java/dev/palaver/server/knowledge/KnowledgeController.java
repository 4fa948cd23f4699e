package dev.palaver.server.knowledge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.multipart.MultipartHttpServletRequest;
import org.springframework.web.util.WebUtils;

import dev.palaver.server.identity.Access;
import dev.palaver.server.identity.Caller;
import dev.palaver.server.identity.Role;
import dev.palaver.server.identity.Scopes;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;
import dev.palaver.server.platform.web.Page;

@RestController
@RequestMapping("/api/v1/knowledge-bases")
class KnowledgeController {

    private final KnowledgeBases bases;
    private final KnowledgeSearch search;

    KnowledgeController(KnowledgeBases bases, KnowledgeSearch search) {
        this.bases = bases;
        this.search = search;
    }

    record CreateBase(@NotBlank @Size(max = 200) String name, @Size(max = 2000) String description) {
    }

    record SearchRequest(@NotBlank @Size(max = KnowledgeSearch.MAX_QUERY_CHARS) String query,
                         @Min(1) @Max(KnowledgeSearch.MAX_LIMIT) Integer limit) {
    }

    @GetMapping
    @Access(role = Role.VIEWER, scope = Scopes.KNOWLEDGE_READ)
    Page<KnowledgeBases.KnowledgeBase> list(Caller caller, @RequestParam(required = false) String cursor,
                                            @RequestParam(required = false) Integer limit) {
        return bases.list(caller.orgId(), cursor, limit);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Access(role = Role.ADMIN, scope = Scopes.KNOWLEDGE_WRITE)
    KnowledgeBases.KnowledgeBase create(Caller caller, @Valid @RequestBody CreateBase body) {
        String description = body.description() == null || body.description().isBlank() ? null : body.description().strip();
        return bases.create(caller.orgId(), caller, body.name().strip(), description);
    }

    @GetMapping("/{id}")
    @Access(role = Role.VIEWER, scope = Scopes.KNOWLEDGE_READ)
    KnowledgeBases.KnowledgeBase get(Caller caller, @PathVariable UUID id) {
        return bases.get(caller.orgId(), id);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Access(role = Role.ADMIN, scope = Scopes.KNOWLEDGE_WRITE)
    void delete(Caller caller, @PathVariable UUID id) {
        bases.delete(caller.orgId(), caller, id);
    }

    /** How the upload's body looks, for the API description (the handler reads the multipart request itself). */
    @Schema(name = "DocumentUpload")
    record DocumentUpload(@Schema(type = "string", format = "binary", requiredMode = Schema.RequiredMode.REQUIRED,
            description = "Plain text, Markdown, HTML or PDF, up to 10 MB") String file) {
    }

    /** multipart/form-data with the document in a part named {@code file}. */
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
            mediaType = MediaType.MULTIPART_FORM_DATA_VALUE, schema = @Schema(implementation = DocumentUpload.class)))
    @PostMapping("/{id}/documents")
    @ResponseStatus(HttpStatus.CREATED)
    @Access(role = Role.ADMIN, scope = Scopes.KNOWLEDGE_WRITE)
    KnowledgeBases.KnowledgeDocument upload(Caller caller, @PathVariable UUID id, HttpServletRequest request) {
        bases.get(caller.orgId(), id);
        MultipartHttpServletRequest multipart = WebUtils.getNativeRequest(request, MultipartHttpServletRequest.class);
        if (multipart == null) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "Upload the document as multipart/form-data, in a part named \"file\".");
        }
        MultipartFile file = multipart.getFile("file");
        if (file == null) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, "The upload has no part named \"file\".");
        }
        if (file.getSize() > KnowledgeBases.MAX_DOCUMENT_BYTES) {
            throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "The document is larger than the limit of " + KnowledgeBases.MAX_DOCUMENT_BYTES + " bytes.");
        }
        byte[] content;
        try {
            content = file.getBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bases.addDocument(caller.orgId(), caller, id, file.getOriginalFilename(), file.getContentType(), content);
    }

    @GetMapping("/{id}/documents")
    @Access(role = Role.VIEWER, scope = Scopes.KNOWLEDGE_READ)
    Page<KnowledgeBases.KnowledgeDocument> documents(Caller caller, @PathVariable UUID id,
                                                     @RequestParam(required = false) String cursor,
                                                     @RequestParam(required = false) Integer limit) {
        return bases.documents(caller.orgId(), id, cursor, limit);
    }

    @DeleteMapping("/{id}/documents/{documentId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Access(role = Role.ADMIN, scope = Scopes.KNOWLEDGE_WRITE)
    void deleteDocument(Caller caller, @PathVariable UUID id, @PathVariable UUID documentId) {
        bases.deleteDocument(caller.orgId(), caller, id, documentId);
    }

    @PostMapping("/{id}/search")
    @Access(role = Role.VIEWER, scope = Scopes.KNOWLEDGE_READ)
    KnowledgeSearch.Result search(Caller caller, @PathVariable UUID id, @Valid @RequestBody SearchRequest body) {
        bases.get(caller.orgId(), id);
        return search.search(caller.orgId(), List.of(id), body.query(),
                body.limit() == null ? KnowledgeSearch.DEFAULT_LIMIT : body.limit());
    }
}
